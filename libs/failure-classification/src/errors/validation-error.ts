import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * The unrecoverable failure: the request itself is wrong (a 4xx other than 401/403/408/429, or
 * input the handler rejects), so the same request will fail the same way. Never retryable.
 */
export class ValidationError extends WorkFailureError {
  override readonly retryable = false;

  constructor(message: string, options: Omit<WorkFailureErrorOptions, 'retryable'> = {}) {
    super('VALIDATION', message, { ...options, retryable: false });
    this.name = 'ValidationError';
  }
}
