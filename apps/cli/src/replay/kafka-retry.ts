/**
 * Retries of the CLI's admin and consumers: an operator at a terminal wants
 * "Kafka is unavailable" within seconds, not after the services' minute of
 * retries (about 5 s here: 300 ms doubling, capped at 3 s, 4 retries).
 */
export const CLI_KAFKA_RETRY = Object.freeze({ initialRetryTime: 300, maxRetryTime: 3_000, retries: 4 });
