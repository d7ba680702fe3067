/** One or more stack parts failed to start; the others may be running. */
export class StackStartError extends Error {
  override readonly name = 'StackStartError';
  /** Retryable only when every part's own failure is. */
  readonly retryable: boolean;

  constructor(
    /** Each failed part with its error. */
    readonly failures: readonly { component: string; error: Error }[],
  ) {
    super(failures.map(({ component, error }) => `${component}: ${error.message}`).join('\n\n'));
    this.retryable = failures.every(({ error }) => (error as { retryable?: boolean }).retryable === true);
  }
}
