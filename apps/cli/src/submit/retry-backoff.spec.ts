import { decideRetry, DEFAULT_RETRY_BACKOFF, isRetryableStatus } from './retry-backoff';

const noJitter = () => 0;
const delays = (retryAfterMs: number | undefined, random = noJitter) =>
  [1, 2, 3, 4, 5, 6].map((attempt) => decideRetry(attempt, retryAfterMs, DEFAULT_RETRY_BACKOFF, random));

describe('decideRetry', () => {
  it('doubles the wait from 1 s and gives up after the 6th attempt (the doc comment figures)', () => {
    expect(delays(undefined)).toEqual([
      { retry: true, delayMs: 1_000 },
      { retry: true, delayMs: 2_000 },
      { retry: true, delayMs: 4_000 },
      { retry: true, delayMs: 8_000 },
      { retry: true, delayMs: 16_000 },
      { retry: false },
    ]);
  });

  it("never waits less than the server's Retry-After: the ingestor's 5 s gives 5, 5, 5, 8, 16 s", () => {
    expect(delays(5_000).map((decision) => (decision.retry ? decision.delayMs : 'give up'))).toEqual([
      5_000, 5_000, 5_000, 8_000, 16_000, 'give up',
    ]);
  });

  it('caps the computed wait and an excessive Retry-After', () => {
    const options = { ...DEFAULT_RETRY_BACKOFF, maxAttempts: 20 };
    expect(decideRetry(12, undefined, options, noJitter)).toEqual({ retry: true, delayMs: 30_000 });
    expect(decideRetry(1, 3_600_000, options, noJitter)).toEqual({ retry: true, delayMs: 300_000 });
    expect(decideRetry(1, -5, options, noJitter)).toEqual({ retry: true, delayMs: 1_000 });
  });

  it('adds up to 20 % jitter on top of the backoff', () => {
    expect(decideRetry(2, undefined, DEFAULT_RETRY_BACKOFF, () => 0.5)).toEqual({ retry: true, delayMs: 2_200 });
    expect(decideRetry(2, undefined, DEFAULT_RETRY_BACKOFF, () => 0.999_999)).toEqual({ retry: true, delayMs: 2_400 });
  });

  it('does not retry at all with one attempt', () => {
    expect(decideRetry(1, undefined, { ...DEFAULT_RETRY_BACKOFF, maxAttempts: 1 }, noJitter)).toEqual({ retry: false });
  });
});

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => expect(isRetryableStatus(status)).toBe(true));
  it.each([200, 202, 400, 401, 404, 409, 413, 501])('does not retry %i', (status) => expect(isRetryableStatus(status)).toBe(false));
});
