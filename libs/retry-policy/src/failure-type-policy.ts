/**
 * How one failure type is retried: one row of the retry table.
 * The values of each row are in {@link DEFAULT_FAILURE_TYPE_POLICIES}; the delay formula is
 * documented on {@link computeRetryDelayMs}.
 */
export interface FailureTypePolicy {
  /**
   * Number of attempts an item may make while it keeps failing with this type: the item is
   * abandoned (MAX_ATTEMPTS) when the attempt that just failed is number >= maxAttempts
   * (attempts count from 1, so 1 means "abandon at the first failure").
   * Positive integer. Default: per built-in type (API_ERROR 5, TIMEOUT 3, EMPTY_REPORT 2,
   * PROCESSING_ERROR 2, RATE_LIMIT 10, AUTHENTICATION 1), 3 for custom types.
   * Not read when `consumesAttempt` is false (see `maxDeferrals`).
   */
  readonly maxAttempts: number;
  /**
   * Delay before the first retry, in milliseconds; it doubles with every further attempt.
   * Positive integer. Default: per built-in type (API_ERROR 60 000, TIMEOUT 30 000,
   * EMPTY_REPORT 120 000, PROCESSING_ERROR 180 000, RATE_LIMIT 300 000, AUTHENTICATION 600 000,
   * CIRCUIT_OPEN 30 000), 60 000 for custom types.
   */
  readonly baseDelayMs: number;
  /**
   * Longest delay for this type, in milliseconds. It caps the exponential delay before and after
   * jitter, and also caps a downstream's Retry-After. The resolved value is never above the
   * policy-wide ceiling given to `resolveRetryPolicy`. Positive integer.
   * Default: {@link DEFAULT_MAX_DELAY_MS} (1 h); {@link DEFAULT_CIRCUIT_OPEN_MAX_DELAY_MS}
   * (5 min) for CIRCUIT_OPEN.
   */
  readonly maxDelayMs: number;
  /**
   * Half-width of the jitter, as a fraction of the delay: the delay is multiplied by a factor
   * drawn uniformly in [1 - jitterRatio, 1 + jitterRatio]. Unitless, in [0, 1).
   * Default: {@link DEFAULT_JITTER_RATIO} (0.1).
   */
  readonly jitterRatio: number;
  /**
   * false: a failure of this type is abandoned at once with reason NOT_RETRYABLE.
   * Default: true; false for VALIDATION.
   */
  readonly retryable: boolean;
  /**
   * false: a retry keeps the attempt number of the failed attempt (the work was never really
   * tried), and the number of such deferrals is bounded by `maxDeferrals` instead of
   * `maxAttempts`. Default: true; false for CIRCUIT_OPEN.
   */
  readonly consumesAttempt: boolean;
  /**
   * Only read when `consumesAttempt` is false: how many times an item may be deferred by this
   * type before it is abandoned (reason CIRCUIT_OPEN for CIRCUIT_OPEN, MAX_ATTEMPTS for a custom
   * type). Count, non-negative integer. Default: {@link DEFAULT_MAX_DEFERRALS} (20).
   */
  readonly maxDeferrals: number;
}
