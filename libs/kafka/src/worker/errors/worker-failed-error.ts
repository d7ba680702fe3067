/**
 * A consumer that could not recover: restarted too often without getting
 * past its problem. Unrecoverable in this process: the service exits non-zero
 * so that its orchestrator restarts it (and the restarts show).
 */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
  readonly retryable = false;

  constructor(
    readonly consumer: string,
    reason: string,
  ) {
    super(`consumer ${consumer} failed: ${reason}`);
  }
}
