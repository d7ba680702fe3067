import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * The downstream answered but the report is empty, perhaps still being prepared (EMPTY_REPORT, 2
 * attempts). Retryable unless `options.retryable` says otherwise.
 */
export class EmptyReportError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('EMPTY_REPORT', message, options);
    this.name = 'EmptyReportError';
  }
}
