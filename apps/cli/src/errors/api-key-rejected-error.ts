/**
 * The ingestor answered 401: the API key is missing or not one of its API_KEYS.
 * Retrying cannot help; exit code 4.
 */
export class ApiKeyRejectedError extends Error {
  override readonly name = 'ApiKeyRejectedError';
  readonly retryable = false;

  /**
   * @param message the ingestor's explanation
   * @param keyGiven whether the CLI sent a key at all (the key itself is never kept)
   */
  constructor(
    message: string,
    readonly keyGiven: boolean,
  ) {
    super(message);
  }
}
