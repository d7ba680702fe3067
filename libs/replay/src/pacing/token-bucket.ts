/** Settings of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second (items per second); above 0. */
  ratePerSecond: number;
  /** Most tokens held, i.e. the largest burst. Default `max(1, ratePerSecond)`: at most one second's worth. */
  capacity?: number;
  /** Current time, epoch milliseconds. */
  now: () => number;
  /** Waits this many milliseconds. */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Throttles a replay to its rate, in items per second. Starts full, refills
 * continuously, and `take(n)` waits until `n` tokens are there. Over any span
 * of T seconds at most `capacity + rate x T` items pass: at 10 per second, 1000
 * items take about 99 s (10 at once, then 10 per second).
 */
export class TokenBucket {
  readonly capacity: number;
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be above 0, got ${options.ratePerSecond}`);
    this.capacity = options.capacity ?? Math.max(1, options.ratePerSecond);
    if (!(this.capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${this.capacity}`);
    this.tokens = this.capacity;
    this.refilledAt = options.now();
  }

  /** Tokens available right now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /**
   * Waits until `count` tokens are available and takes them.
   * @param count 1 to {@link capacity}
   */
  async take(count = 1): Promise<void> {
    if (!(count >= 1 && count <= this.capacity)) {
      throw new RangeError(`can take 1 to ${this.capacity} tokens at a time, asked for ${count}`);
    }
    for (;;) {
      this.refill();
      if (this.tokens >= count) {
        this.tokens -= count;
        return;
      }
      await this.options.sleep(Math.max(1, Math.ceil(((count - this.tokens) / this.options.ratePerSecond) * 1000)));
    }
  }

  private refill(): void {
    const now = this.options.now();
    const elapsedMs = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs / 1000) * this.options.ratePerSecond);
    this.refilledAt = now;
  }
}
