/**
 * An attempt cut short because its partition was revoked or the processor is
 * stopping: it produces no outcome and is run again, here or by the new owner.
 */
export class AttemptInterruptedError extends Error {
  override readonly name = 'AttemptInterruptedError';
  readonly retryable = true;
}
