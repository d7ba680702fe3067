import { parseRetryAfterMs } from './retry-after';

const now = Date.parse('2015-10-21T07:20:00Z');

describe('parseRetryAfterMs', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1_500],
    [' 30 ', 30_000],
  ])('reads delta-seconds %j as %i ms', (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });

  it.each([
    ['Wed, 21 Oct 2015 07:28:00 GMT', 480_000],
    ['Wednesday, 21-Oct-15 07:28:00 GMT', 480_000],
    ['Wed Oct 21 07:28:00 2015', 480_000],
  ])('reads the HTTP-date %j relative to now', (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', 'soon', '-5', '12abc', 'Tuesday'])('is undefined for %j', (value) => {
    expect(parseRetryAfterMs(value, now)).toBeUndefined();
  });
});
