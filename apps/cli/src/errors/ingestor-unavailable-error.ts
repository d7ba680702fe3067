/**
 * The ingestor stayed unavailable (503, 5xx, network error or timeout) for
 * every attempt of a batch. Nothing of that batch was accepted, and a later
 * re-run is safe: items already accepted come back as duplicates. Exit code 3.
 */
export class IngestorUnavailableError extends Error {
  override readonly name = 'IngestorUnavailableError';
  readonly retryable = true;

  /**
   * @param attempts how many times the batch was sent
   * @param lastFailure what the last attempt got, e.g. `503 UNAVAILABLE: ...`
   */
  constructor(
    readonly attempts: number,
    readonly lastFailure: string,
  ) {
    super(`the ingestor is unavailable after ${attempts} attempt${attempts === 1 ? '' : 's'} (last: ${lastFailure})`);
  }
}
