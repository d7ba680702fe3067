import { FixedWindowRateLimiter } from './fixed-window-rate-limiter';

describe('FixedWindowRateLimiter', () => {
  it('allows `limit` requests per wall-clock second, then refuses until the next second', () => {
    let now = 10_000_250;
    const limiter = new FixedWindowRateLimiter(2, () => now);
    expect(limiter.take()).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 1 });
    expect(limiter.take()).toEqual({ allowed: true, limit: 2, remaining: 0, resetSeconds: 1 });
    expect(limiter.take()).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 1 });
    now = 10_001_000;
    expect(limiter.take().allowed).toBe(true);
  });

  it('starts afresh after reset', () => {
    const limiter = new FixedWindowRateLimiter(1, () => 5_000);
    limiter.take();
    expect(limiter.take().allowed).toBe(false);
    limiter.reset();
    expect(limiter.take().allowed).toBe(true);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new FixedWindowRateLimiter(0)).toThrow(RangeError);
    expect(() => new FixedWindowRateLimiter(1.5)).toThrow(RangeError);
  });
});
