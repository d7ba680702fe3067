/**
 * A selection that cannot be read as asked: no such topic or partition, an
 * empty selection, a range or a time window the wrong way round. Nothing was
 * read or recorded. Answered 400.
 */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';
  readonly retryable = false;

  constructor(message: string) {
    super(message);
  }
}
