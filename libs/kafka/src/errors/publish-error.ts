/** Events could not be written to Kafka. `definitelyNotWritten` is false after a timeout: they may still land. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly retryable = true;

  constructor(
    message: string,
    readonly definitelyNotWritten: boolean,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}
