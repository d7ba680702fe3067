import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * Our own circuit breaker turned the item away before it reached the downstream: deferred without
 * spending an attempt (CIRCUIT_OPEN). Retryable unless `options.retryable` says otherwise.
 */
export class CircuitOpenError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('CIRCUIT_OPEN', message, options);
    this.name = 'CircuitOpenError';
  }
}
