/**
 * A replay stopped part-way because Kafka, Redis or the registry failed. Its
 * record says `interrupted`; `replay --continue <id>` resumes it without
 * republishing what was done. Exit code 3.
 */
export class ReplayInterruptedError extends Error {
  override readonly name = 'ReplayInterruptedError';
  readonly retryable = true;

  /**
   * @param replayId the replay to continue
   * @param republished items this run republished before it stopped
   * @param cause what failed
   */
  constructor(
    readonly replayId: string,
    readonly republished: number,
    cause: Error,
  ) {
    super(cause.message, { cause });
  }
}
