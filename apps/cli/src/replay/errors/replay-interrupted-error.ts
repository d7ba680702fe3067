/**
 * A replay's run stopped part-way because Kafka, Redis or the registry failed
 * behind the stats service. Its record says `interrupted`; `replay --continue
 * <id>` resumes it without republishing what was done. Exit code 3.
 */
export class ReplayInterruptedError extends Error {
  override readonly name = 'ReplayInterruptedError';
  readonly retryable = true;

  /**
   * @param replayId the replay to continue
   * @param republished items this run republished before it stopped
   * @param message what failed, as the service recorded it
   */
  constructor(
    readonly replayId: string,
    readonly republished: number,
    message: string,
  ) {
    super(message);
  }
}
