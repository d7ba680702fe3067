import { WorkFailureError, type WorkFailureErrorOptions } from './work-failure-error';

/**
 * The downstream did not answer in time (TIMEOUT, 3 attempts). Not named TimeoutError, which the
 * DOM and undici already use for an aborted signal. Retryable unless `options.retryable` says
 * otherwise.
 */
export class DownstreamTimeoutError extends WorkFailureError {
  constructor(message: string, options: WorkFailureErrorOptions = {}) {
    super('TIMEOUT', message, options);
    this.name = 'DownstreamTimeoutError';
  }
}
