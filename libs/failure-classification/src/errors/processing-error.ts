import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * Our own handling of the response failed, e.g. unparseable content (PROCESSING_ERROR, 2
 * attempts). Retryable unless `options.retryable` says otherwise.
 */
export class ProcessingError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('PROCESSING_ERROR', message, options);
    this.name = 'ProcessingError';
  }
}
