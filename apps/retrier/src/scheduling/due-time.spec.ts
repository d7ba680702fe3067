import { retryDueAt } from './due-time';

describe('retryDueAt', () => {
  const now = Date.UTC(2026, 11, 4, 12, 0, 0);

  it('counts the delay from the failure when the retrier reads it later (a backlog does not stretch the delay)', () => {
    expect(retryDueAt(now - 5_000, now, 60_000)).toBe(now + 55_000);
  });

  it('counts from now when the failure claims a time ahead of the retrier clock (a processor clock running ahead)', () => {
    expect(retryDueAt(now + 10 * 60_000, now, 60_000)).toBe(now + 60_000);
  });

  it('counts from now when the failure time is not a date', () => {
    expect(retryDueAt(Number.NaN, now, 1_000)).toBe(now + 1_000);
  });
});
