/** How long to keep trying a batch while the ingestor is unavailable. */
export interface RetryBackoffOptions {
  /** Most attempts per batch, the first one included. Default {@link DEFAULT_RETRY_BACKOFF}.maxAttempts = 6. */
  maxAttempts: number;
  /** Wait after the first failed attempt, in milliseconds; doubles after each further failure. Default 1000. */
  baseDelayMs: number;
  /** Longest computed wait, in milliseconds (before jitter). Default 30000. */
  maxDelayMs: number;
  /** Longest Retry-After honoured, in milliseconds; a longer one is cut to this. Default 300000 (5 min). */
  maxRetryAfterMs: number;
  /** Extra random wait, as a fraction of the computed wait, so clients restarted together spread out. Default 0.2. */
  jitter: number;
}

export const DEFAULT_RETRY_BACKOFF: Readonly<RetryBackoffOptions> = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  jitter: 0.2,
};

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether to send a batch again after attempt `failedAttempt` (1-based) failed
 * with a retryable error, and after how long:
 *
 *   backoff = min(maxDelayMs, baseDelayMs * 2^(failedAttempt - 1)) * (1 + jitter * random())
 *   delay   = max(backoff, min(retryAfterMs, maxRetryAfterMs))
 *
 * Worked numbers with the defaults and random() = 0: waits of 1 s, 2 s, 4 s,
 * 8 s, 16 s after attempts 1 to 5, and no 7th try after attempt 6 fails (31 s
 * in all). The ingestor answers 503 with `Retry-After: 5`, which turns the
 * first three waits into 5 s each: 5 + 5 + 5 + 8 + 16 = 39 s before giving up.
 *
 * @param retryAfterMs the server's Retry-After in milliseconds, if it sent one
 * @param random uniform in [0, 1), injected so tests are deterministic
 */
export function decideRetry(
  failedAttempt: number,
  retryAfterMs: number | undefined,
  options: RetryBackoffOptions,
  random: () => number,
): RetryDecision {
  if (failedAttempt >= options.maxAttempts) return { retry: false };
  const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (failedAttempt - 1));
  const jittered = backoff * (1 + options.jitter * random());
  const asked = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), options.maxRetryAfterMs);
  return { retry: true, delayMs: Math.round(Math.max(jittered, asked)) };
}

/**
 * HTTP statuses worth retrying: the ingestor could not write to Kafka (503), a
 * proxy in front of it failed (502, 504), it is overloaded (429, 408), or an
 * internal error such as Redis being down (500). A retry is safe because the
 * ingestor de-duplicates by item id.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}
