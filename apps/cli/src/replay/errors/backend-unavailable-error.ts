/** Which part of the stack a replay command could not use. */
export type Backend = 'Kafka' | 'Redis' | 'the schema registry';

/**
 * Kafka, Redis or the schema registry could not be reached (or stopped
 * answering) during a replay command. Whatever was republished before is
 * recorded; running the command again, or `replay --continue`, is safe. Exit code 3.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly retryable = true;

  /**
   * @param backend what could not be used
   * @param message what failed, e.g. `connecting to 127.0.0.1:9092 timed out after 10000 ms`
   */
  constructor(
    readonly backend: Backend,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${backend} is unavailable: ${message}`, options);
  }
}
