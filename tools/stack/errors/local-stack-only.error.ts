/** An operation that needs the local stack (processes on this machine) was asked of a stack in docker mode. */
export class LocalStackOnlyError extends Error {
  override readonly name = 'LocalStackOnlyError';
  readonly retryable = false;

  constructor(
    /** What was asked, e.g. `killBroker(1)`. */
    readonly operation: string,
    /** The state folder whose recorded mode is docker. */
    readonly stackDir: string,
  ) {
    super(
      `${operation} works on the local stack only, but the stack in ${stackDir} runs in docker mode. ` +
        'Start it with STACK_MODE=local (`npm run stack:up -- --mode local`).',
    );
  }
}
