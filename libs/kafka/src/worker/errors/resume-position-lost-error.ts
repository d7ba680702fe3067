/**
 * A `commit: 'external'` consumer found that its store no longer holds the
 * position it resumed from or last wrote (the store was emptied, or failed
 * over and lost recent writes). Handling on from here would skip what lies in
 * between; the worker reads every assigned partition's position from the
 * store again (`ConsumerSpec.resumeAt`) and seeks there.
 */
export class ResumePositionLostError extends Error {
  override readonly name = 'ResumePositionLostError';
  readonly retryable = false;

  constructor(message: string) {
    super(message);
  }
}
