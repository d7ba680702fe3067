/** The limiter's answer for one request, with what the `X-RateLimit-*` headers report. */
export interface RateLimitVerdict {
  /** False when the request is over the limit and must get a 429. */
  readonly allowed: boolean;
  /** Requests allowed per window. */
  readonly limit: number;
  /** Requests left in the current window after this one. */
  readonly remaining: number;
  /** Seconds until the window resets, rounded up, at least 1. */
  readonly resetSeconds: number;
}

/**
 * A fixed one-second window aligned on wall-clock seconds, the simplest limiter that
 * behaves like a real API's quota: a client spacing its calls at least 1000/limit ms
 * apart never hits it, a burst does. Time is injected so tests need not wait.
 */
export class FixedWindowRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;

  /**
   * @param limitPerSecond requests allowed per one-second window, an integer >= 1
   * @param now clock in milliseconds since the epoch; default `Date.now`
   */
  constructor(
    readonly limitPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limitPerSecond) || limitPerSecond < 1) {
      throw new RangeError(`limitPerSecond must be an integer >= 1, got ${limitPerSecond}`);
    }
  }

  /** Counts one request against the current window. */
  take(): RateLimitVerdict {
    const now = this.now();
    const windowStart = Math.floor(now / 1000) * 1000;
    if (windowStart !== this.windowStart) {
      this.windowStart = windowStart;
      this.used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000));
    if (this.used >= this.limitPerSecond) {
      return { allowed: false, limit: this.limitPerSecond, remaining: 0, resetSeconds };
    }
    this.used += 1;
    return { allowed: true, limit: this.limitPerSecond, remaining: this.limitPerSecond - this.used, resetSeconds };
  }

  /** Forgets the current window (used by `POST /admin/reset`). */
  reset(): void {
    this.windowStart = Number.NEGATIVE_INFINITY;
    this.used = 0;
  }
}
