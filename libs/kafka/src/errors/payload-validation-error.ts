/** A value does not match its contract: on encode a bug of ours, on decode a poison message. Never retryable. */
export class PayloadValidationError extends Error {
  override readonly name = 'PayloadValidationError';
  readonly retryable = false;

  constructor(
    readonly eventType: string,
    readonly issues: readonly string[],
  ) {
    super(`${eventType} does not match its schema: ${issues.join('; ')}`);
  }
}
