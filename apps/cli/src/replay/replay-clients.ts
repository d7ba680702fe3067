import type Redis from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import pino from 'pino';
import { ConfigError, loadConfig, type AppConfig } from '@workpipe/config';
import { TOPICS, topicName } from '@workpipe/contracts';
import { createKafka, RegistrySerde } from '@workpipe/kafka';
import { loggerOptions, redactUrl, type Logger } from '@workpipe/logging';
import { createRedis } from '@workpipe/redis';
import type { CliIo } from '../cli-io';
import { UsageError } from '../errors/usage-error';
import { probeBrokers } from './broker-probe';
import { BackendUnavailableError } from './errors/backend-unavailable-error';
import { CLI_KAFKA_RETRY } from './kafka-retry';

/** Longest the CLI waits for a Kafka broker to accept a connection, then to answer, at start, in milliseconds. */
export const KAFKA_CONNECT_TIMEOUT_MS = 10_000;

/** Longest the CLI waits for Redis to answer at start, in milliseconds. */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** The CLI logs only what needs attention (a broker or Redis trouble), to stderr. */
export const CLI_LOG_LEVEL = 'warn';

/** Everything a replay command talks to, configured from the environment as the services are. */
export interface ReplayClients {
  config: AppConfig;
  logger: Logger;
  kafka: Kafka;
  /** Connected. */
  admin: Admin;
  /** Connected and answering. */
  redis: Redis;
  serde: RegistrySerde;
  /** The pipeline's topics under the configured prefix. */
  topics: { work: string; succeeded: string; abandoned: string };
  /** Disconnects everything; never throws. */
  close(): Promise<void>;
}

/**
 * Loads the configuration (`loadConfig('cli')` on the CLI's environment: the
 * same variables and defaults as the services) and connects to Kafka and Redis,
 * failing fast with {@link BackendUnavailableError} (exit 3) when one does not
 * answer, and with a {@link UsageError} (exit 2) for a bad variable.
 */
export async function openReplayClients(io: CliIo): Promise<ReplayClients> {
  let config: AppConfig;
  try {
    config = loadConfig('cli', io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message.replace(/\n/g, ' '), 'workpipe --help');
    throw error;
  }
  const logger = pino(loggerOptions({ service: 'cli', level: CLI_LOG_LEVEL }), { write: (line: string) => io.stderr.write(line) });
  try {
    await probeBrokers(config.kafka.brokers, KAFKA_CONNECT_TIMEOUT_MS);
  } catch (error) {
    throw new BackendUnavailableError('Kafka', (error as Error).message, { cause: error });
  }
  const kafka = createKafka(config.kafka, logger);
  const admin = kafka.admin({ retry: { ...CLI_KAFKA_RETRY } });
  try {
    await withTimeout(admin.connect(), KAFKA_CONNECT_TIMEOUT_MS, `no broker of ${config.kafka.brokers.join(',')} answered`);
  } catch (error) {
    await withTimeout(admin.disconnect(), 2_000, '').catch(() => undefined);
    throw new BackendUnavailableError('Kafka', (error as Error).message, { cause: error });
  }
  const redis = createRedis(config.redis, logger, { name: 'cli' });
  try {
    await withTimeout(redis.ping(), REDIS_CONNECT_TIMEOUT_MS, `no answer from ${redactUrl(config.redis.url)}`);
  } catch (error) {
    redis.disconnect();
    await admin.disconnect().catch(() => undefined);
    throw new BackendUnavailableError('Redis', (error as Error).message, { cause: error });
  }
  const prefix = config.kafka.topicPrefix;
  return {
    config,
    logger,
    kafka,
    admin,
    redis,
    serde: new RegistrySerde(config.schemaRegistry),
    topics: {
      work: topicName(prefix, TOPICS.work),
      succeeded: topicName(prefix, TOPICS.succeeded),
      abandoned: topicName(prefix, TOPICS.abandoned),
    },
    async close() {
      await Promise.allSettled([
        admin.disconnect(),
        redis.quit().catch(() => redis.disconnect()),
      ]);
    },
  };
}

/** Rejects with `message` (and the limit) if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
