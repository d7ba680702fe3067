/**
 * A Kafka broker already answers on the stack's port but runs another version than the one asked
 * for. The stack never reuses it silently: tests would otherwise prove the wrong Kafka line.
 */
export class KafkaVersionMismatchError extends Error {
  override readonly name = 'KafkaVersionMismatchError';
  readonly retryable = false;

  constructor(
    /** Where it answers, e.g. `127.0.0.1:9092`. */
    readonly endpoint: string,
    /** The version asked for (KAFKA_VERSION), e.g. `4.4.0`. */
    readonly requested: string,
    /** What the running broker says it is, e.g. `Kafka 3.9.1`. */
    readonly running: string,
    /** True when this stack started that broker (so `stack:down` stops it). */
    readonly ours: boolean,
    /** The pid of our broker, when it is ours. */
    readonly pid?: number,
  ) {
    super(
      `A Kafka broker already runs on ${endpoint}${pid !== undefined ? ` (pid ${pid})` : ''}: ${running}, ` +
        `but KAFKA_VERSION asks for ${requested}.\n` +
        (ours
          ? `Stop it with \`npm run stack:down\` (each version keeps its own data folder), or set KAFKA_VERSION to the version it runs.`
          : `It was not started by this stack, so it is left alone: stop it, set KAFKA_VERSION to its version, ` +
            `or give this stack other ports (STACK_KAFKA_PORT, STACK_KAFKA_CONTROLLER_PORT).`),
    );
  }
}
