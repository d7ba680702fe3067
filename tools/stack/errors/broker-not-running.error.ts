/** A fault helper (freezeBroker, thawBroker) was asked of a broker whose process is not running. */
export class BrokerNotRunningError extends Error {
  override readonly name = 'BrokerNotRunningError';
  readonly retryable = false;

  constructor(
    /** What was asked, e.g. `freezeBroker(0)`. */
    readonly operation: string,
    /** The broker's index in KAFKA_BROKERS. */
    readonly index: number,
  ) {
    super(`${operation}: broker ${index} of the local stack is not running (start it with \`npm run stack:up\` or startBroker(${index})).`);
  }
}
