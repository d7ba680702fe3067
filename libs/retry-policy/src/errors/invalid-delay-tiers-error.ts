/**
 * The delay-topic tiers are not a non-empty, strictly ascending list of positive milliseconds.
 * A configuration error: not retryable.
 */
export class InvalidDelayTiersError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidDelayTiersError';
  }
}
