/** A fault helper (freezeRegistry, thawRegistry) was asked of a schema registry this stack has not started or that is not running. */
export class RegistryNotRunningError extends Error {
  override readonly name = 'RegistryNotRunningError';
  readonly retryable = false;

  constructor(
    /** What was asked, e.g. `freezeRegistry()`. */
    readonly operation: string,
  ) {
    super(
      `${operation}: the schema registry of the local stack is not running, or was not started by it ` +
        '(start it with `npm run stack:up`; an external registry cannot be frozen).',
    );
  }
}
