import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * The downstream is rate limiting us (429, RATE_LIMIT, 10 attempts). Pass its Retry-After as
 * `options.retryAfterMs`: the retry then waits at least that long. Retryable unless
 * `options.retryable` says otherwise.
 */
export class RateLimitError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('RATE_LIMIT', message, options);
    this.name = 'RateLimitError';
  }
}
