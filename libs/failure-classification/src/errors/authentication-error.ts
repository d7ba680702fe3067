import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * The downstream rejected our credentials (401/403). AUTHENTICATION allows 1 attempt by default;
 * it stays retryable so configuration can allow more (e.g. around a credential rotation).
 * Retryable unless `options.retryable` says otherwise.
 */
export class AuthenticationError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('AUTHENTICATION', message, options);
    this.name = 'AuthenticationError';
  }
}
