import Redis from 'ioredis';
import type { AppConfig } from '@workpipe/config';
import { redactUrl, type Logger } from '@workpipe/logging';

export interface RedisClientOptions {
  /** Label in logs and in `CLIENT LIST`, e.g. `ingestor`. */
  name: string;
  /** Fail commands at once while disconnected instead of queueing them; default false. */
  failFast?: boolean;
}

/**
 * An ioredis client that reconnects with capped backoff and logs state changes.
 * Keys are not auto-prefixed: callers build them with {@link RedisKeys} so every
 * key is visible as written (and Lua scripts see the same names).
 */
export function createRedis(config: AppConfig['redis'], logger: Logger, options: RedisClientOptions): Redis {
  const log = logger.child({ component: 'redis', redis: redactUrl(config.url) });
  const client = new Redis(config.url, {
    connectionName: `workpipe-${options.name}`,
    maxRetriesPerRequest: options.failFast ? 0 : 20,
    enableOfflineQueue: !options.failFast,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  client.on('error', (error: Error) => log.warn({ err: error.message }, 'redis error'));
  client.on('ready', () => log.info('redis ready'));
  client.on('reconnecting', () => log.info('redis reconnecting'));
  return client;
}
