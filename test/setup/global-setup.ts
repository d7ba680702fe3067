import Redis from 'ioredis';
import { startContainerStack } from './container-stack';
import { dockerEngineAvailable } from './docker-engine';
import { ensureStack } from '../../tools/stack';
import { listTestResources } from './test-leftovers';

/**
 * Picks the real stack the integration tests run against, in this order:
 * 1. KAFKA_BROKERS + SCHEMA_REGISTRY_URL + REDIS_URL given: use them as they are;
 * 2. a Docker engine answers (and TEST_STACK is not `local`): testcontainers;
 * 3. otherwise the local Maven-installed stack (`npm run stack:up`), started if needed.
 * Prints what it runs against, versions included.
 */
export default async function globalSetup(): Promise<void> {
  const given = process.env.KAFKA_BROKERS && process.env.SCHEMA_REGISTRY_URL && process.env.REDIS_URL;
  const mode = process.env.TEST_STACK ?? 'auto';
  let versions: Record<string, string> = {};
  if (given) {
    versions = { stack: 'external (from environment)' };
  } else if (mode === 'testcontainers' || (mode === 'auto' && dockerEngineAvailable())) {
    const stack = await startContainerStack();
    Object.assign(process.env, {
      KAFKA_BROKERS: stack.kafkaBrokers,
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      REDIS_URL: stack.redisUrl,
    });
    (globalThis as { __stopTestStack?: () => Promise<void> }).__stopTestStack = () => stack.stop();
    versions = { stack: 'testcontainers' };
  } else {
    const stack = await ensureStack({ mode: 'local', log: (line) => process.stdout.write(`${line}\n`) });
    Object.assign(process.env, {
      KAFKA_BROKERS: stack.kafkaBrokers,
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      REDIS_URL: stack.redisUrl,
    });
    versions = {
      stack: `local (${stack.startedHere ? 'started for this run' : 'already running'})`,
      kafka: stack.versions.kafka,
      schemaRegistry: stack.versions.schemaRegistry,
    };
  }
  versions.redis = `Redis ${await redisVersion(process.env.REDIS_URL as string)}`;
  // What test prefixes already hold (an earlier run that was cut short): the teardown checks this run left nothing more.
  (globalThis as { __testResourcesBefore?: unknown }).__testResourcesBefore = await listTestResources(
    process.env.KAFKA_BROKERS as string,
    process.env.REDIS_URL as string,
  );
  process.stdout.write(
    `\nIntegration stack: KAFKA_BROKERS=${process.env.KAFKA_BROKERS} SCHEMA_REGISTRY_URL=${process.env.SCHEMA_REGISTRY_URL} REDIS_URL=${process.env.REDIS_URL}\n` +
      `Versions: ${Object.values(versions).join(', ')}\n`,
  );
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}
