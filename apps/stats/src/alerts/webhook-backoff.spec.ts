import { webhookRetryDelayMs } from './webhook-backoff';

describe('webhookRetryDelayMs', () => {
  it('doubles from the base: 1 s, 2 s, 4 s, 8 s, 16 s with the defaults', () => {
    const options = { baseMs: 1_000, maxMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((retry) => webhookRetryDelayMs(retry, options))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('stops doubling at the cap, also for a retry number far past it', () => {
    const options = { baseMs: 1_000, maxMs: 60_000 };
    expect([6, 7, 8, 20, 2_000].map((retry) => webhookRetryDelayMs(retry, options))).toEqual([32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('answers the cap when the cap is below the base', () => {
    expect(webhookRetryDelayMs(1, { baseMs: 5_000, maxMs: 2_000 })).toBe(2_000);
  });

  it('refuses a retry number that is not 1 or more', () => {
    for (const retry of [0, -1, 1.5, Number.NaN]) expect(() => webhookRetryDelayMs(retry, { baseMs: 1, maxMs: 1 })).toThrow(RangeError);
  });
});
