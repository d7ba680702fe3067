/** Topics could not be created or do not match what the service needs. */
export class TopicProvisioningError extends Error {
  override readonly name = 'TopicProvisioningError';
  readonly retryable = true;

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
