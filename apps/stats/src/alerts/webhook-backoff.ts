/** How the waits between two webhook tries grow. */
export interface WebhookBackoffOptions {
  /** Wait before the first retry, in ms. ALERT_WEBHOOK_BACKOFF_MS, default 1000. */
  baseMs: number;
  /** Longest wait, in ms: the doubling stops there. ALERT_WEBHOOK_BACKOFF_MAX_MS, default 60000. */
  maxMs: number;
}

/**
 * The wait before retry number `retry` (1 = the first retry, after the first failed POST), in ms:
 * `min(baseMs × 2^(retry - 1), maxMs)`. No jitter: there is one receiver and a few alert events,
 * not a crowd of clients to spread out.
 *
 * Worked numbers with the defaults (1000 ms, 60000 ms, 5 retries): 1 s, 2 s, 4 s, 8 s, 16 s, so
 * the sixth and last POST goes about 31 s after the first (plus the time the tries took); with
 * 10 retries the waits go on 32 s, 60 s, 60 s, 60 s, 60 s.
 */
export function webhookRetryDelayMs(retry: number, options: WebhookBackoffOptions): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be an integer >= 1, got ${retry}`);
  // 2^(retry - 1) overflows to Infinity long after it passed any cap: min() still answers the cap.
  return Math.min(options.baseMs * 2 ** (retry - 1), options.maxMs);
}
