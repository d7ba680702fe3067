import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig, type AppConfig, type ServiceName } from '@workpipe/config';

/**
 * Per-file isolation on the shared stack: a unique topic prefix, consumer
 * group prefix and Redis key prefix, and cleanup of all three afterwards.
 */
export class TestEnv {
  readonly id: string;
  readonly topicPrefix: string;
  readonly redisPrefix: string;

  constructor(name: string) {
    this.id = `${name}-${randomBytes(3).toString('hex')}`;
    this.topicPrefix = `t.${this.id}.`;
    this.redisPrefix = `t:${this.id}:`;
  }

  /** A service's configuration pointed at this test's prefixes, on a random HTTP port. */
  config(service: ServiceName, overrides: Record<string, string> = {}): AppConfig {
    return loadConfig(service, {
      ...process.env,
      TOPIC_PREFIX: this.topicPrefix,
      REDIS_KEY_PREFIX: this.redisPrefix,
      TOPIC_PARTITIONS: '3',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      KAFKA_CLIENT_ID: `${service}-${this.id}`,
      ...overrides,
    });
  }

  kafka(): Kafka {
    return new Kafka({
      clientId: `test-${this.id}`,
      brokers: this.config('cli').kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
  }

  redis(): Redis {
    return new Redis(this.config('cli').redis.url, { maxRetriesPerRequest: 2 });
  }

  /** Deletes this test's topics and Redis keys. */
  async cleanup(): Promise<void> {
    const admin = this.kafka().admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(this.topicPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
      const groups = (await admin.listGroups()).groups
        .map((group) => group.groupId)
        .filter((groupId) => groupId.includes(this.id));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
    const redis = this.redis();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
