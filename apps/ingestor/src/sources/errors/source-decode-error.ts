/**
 * A source message's value cannot be decoded by its source's format (not
 * UTF-8 JSON, not the Confluent wire format, unknown schema id, empty value).
 * A poison message: never retryable, it goes to `ingest.rejected`.
 */
export class SourceDecodeError extends Error {
  override readonly name = 'SourceDecodeError';
  readonly retryable = false;

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
