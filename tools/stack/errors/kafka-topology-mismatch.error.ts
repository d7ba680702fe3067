/** The stack's Kafka runs with another number of brokers (or other ports) than the one asked for. */
export class KafkaTopologyMismatchError extends Error {
  override readonly name = 'KafkaTopologyMismatchError';
  readonly retryable = false;

  constructor(
    /** What runs, e.g. `1 broker on 127.0.0.1:9092`. */
    readonly running: string,
    /** What was asked for, e.g. `3 brokers on 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096`. */
    readonly requested: string,
    /** What to do about it. */
    readonly hint: string,
  ) {
    super(`The stack's Kafka runs ${running}, but ${requested} was asked for. ${hint}`);
  }
}
