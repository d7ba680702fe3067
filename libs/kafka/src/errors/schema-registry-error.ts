/** The registry could not be reached, or refused a schema (e.g. an incompatible change). */
export class SchemaRegistryError extends Error {
  override readonly name = 'SchemaRegistryError';

  constructor(
    message: string,
    /** A network failure may pass; an incompatible schema will not. */
    readonly retryable: boolean,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}
