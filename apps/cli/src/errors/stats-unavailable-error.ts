/** The stats service did not answer, or answered an error. Exit code 3. */
export class StatsUnavailableError extends Error {
  override readonly name = 'StatsUnavailableError';
  readonly retryable = true;

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
