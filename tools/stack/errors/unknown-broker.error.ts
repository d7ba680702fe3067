/** A broker index given to stopBroker/startBroker/killBroker is not one of the stack's brokers. */
export class UnknownBrokerError extends Error {
  override readonly name = 'UnknownBrokerError';
  readonly retryable = false;

  constructor(
    /** The index asked for. */
    readonly index: number,
    /** How many brokers the stack runs (valid indexes are 0 to brokers - 1). */
    readonly brokers: number,
  ) {
    super(
      `No Kafka broker with index ${index}: the stack runs ${brokers} broker${brokers === 1 ? '' : 's'} ` +
        `(index 0${brokers > 1 ? ` to ${brokers - 1}` : ''}, in the order of KAFKA_BROKERS).`,
    );
  }
}
