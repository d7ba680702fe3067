/**
 * The shared rate limiter (Redis) could not be asked before a call: the item
 * was not tried, so this is no failure of the item and spends no attempt. The
 * worker retries the message with a backoff until Redis answers.
 */
export class RateLimiterUnavailableError extends Error {
  override readonly name = 'RateLimiterUnavailableError';
  readonly retryable = true;

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
