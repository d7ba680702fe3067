import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * The downstream failed on its side (5xx, connection refused or reset): worth retrying (API_ERROR,
 * 5 attempts). Retryable unless `options.retryable` says otherwise.
 */
export class ApiError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('API_ERROR', message, options);
    this.name = 'ApiError';
  }
}
