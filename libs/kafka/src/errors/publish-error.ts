/**
 * Events could not be written to Kafka. `definitelyNotWritten` is true only
 * when no broker was reached; after an answer from a broker or a timeout some
 * of them may be in Kafka.
 */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly retryable = true;

  constructor(
    message: string,
    readonly definitelyNotWritten: boolean,
    cause?: unknown,
    /** Leading records acknowledged before the request that failed (a publish split into several requests). */
    readonly writtenRecords = 0,
  ) {
    super(message, { cause });
  }
}
