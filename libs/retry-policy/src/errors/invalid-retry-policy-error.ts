/**
 * The retry configuration is wrong. Raised once at start-up so the service stops with a message
 * naming the setting (e.g. `RETRY_POLICY.API_ERROR.maxAttempts must be a positive integer`).
 * Not retryable: the same configuration fails the same way.
 */
export class InvalidRetryPolicyError extends Error {
  readonly retryable = false;

  /**
   * @param problems one line per problem, each starting with the setting it names
   */
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidRetryPolicyError';
  }
}
