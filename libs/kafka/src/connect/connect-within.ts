import type { Logger } from '@workpipe/logging';

/** How long a starting client keeps trying to reach Kafka by default, in milliseconds. */
export const DEFAULT_KAFKA_CONNECT_TIMEOUT_MS = 60_000;

export interface ConnectWithinOptions {
  /** What connects, for the log line (`Kafka admin`, `the publisher`). */
  what: string;
  /** Longest wait for Kafka, in milliseconds. */
  timeoutMs: number;
  logger: Logger;
  /** Pause between tries, in milliseconds; default 1000. */
  intervalMs?: number;
}

/** kafkajs errors that say the broker will not let us in, whatever the wait: they fail at once. */
const REFUSALS = new Set(['KafkaJSSASLAuthenticationError']);

/**
 * Runs `connect` until it succeeds or `timeoutMs` has passed. kafkajs gives up
 * on an unreachable seed broker after ~6 s of retries (its connect retries are
 * capped at 1 s apart): a service started while the broker restarts, or started
 * together with it, would exit. A refused authentication fails at once; the last
 * error is thrown at the deadline.
 */
export async function connectWithin(connect: () => Promise<void>, options: ConnectWithinOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await connect();
      if (attempt > 1) options.logger.info({ attempt }, `${options.what}: connected to Kafka`);
      return;
    } catch (error) {
      if (isRefusal(error) || Date.now() + intervalMs > deadline) throw error;
      options.logger.warn({ err: (error as Error).message, attempt, waitMs: intervalMs }, `${options.what}: Kafka not reachable yet; trying again`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

function isRefusal(error: unknown): boolean {
  for (let current = error as { name?: string; cause?: unknown } | undefined, depth = 0; current && depth < 5; current = current.cause as typeof current, depth++) {
    if (current.name && REFUSALS.has(current.name)) return true;
  }
  return false;
}
