import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';

/** What the integration tests create on the shared stack under their prefixes (`TestEnv`: `t.<id>.` topics and groups, `t:<id>:` keys). */
export interface TestResources {
  topics: string[];
  groups: string[];
  redisKeys: string[];
}

const TOPIC_PREFIX = 't.';
const REDIS_PATTERN = 't:*';

/** Lists the stack's topics, consumer groups and Redis keys that carry a test prefix. */
export async function listTestResources(brokers: string, redisUrl: string): Promise<TestResources> {
  const admin = new Kafka({ clientId: 'test-leftovers', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let topics: string[];
  let groups: string[];
  try {
    topics = (await admin.listTopics()).filter((topic) => topic.startsWith(TOPIC_PREFIX)).sort();
    groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(TOPIC_PREFIX)).sort();
  } finally {
    await admin.disconnect();
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  const redisKeys: string[] = [];
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', REDIS_PATTERN, 'COUNT', 1000);
      cursor = next;
      redisKeys.push(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { topics, groups, redisKeys: redisKeys.sort() };
}

/** What `after` holds that `before` did not: the run's leftovers. */
export function leftoversSince(before: TestResources, after: TestResources): TestResources {
  const added = (was: string[], now: string[]): string[] => {
    const known = new Set(was);
    return now.filter((name) => !known.has(name));
  };
  return { topics: added(before.topics, after.topics), groups: added(before.groups, after.groups), redisKeys: added(before.redisKeys, after.redisKeys) };
}

export function isEmpty(resources: TestResources): boolean {
  return resources.topics.length === 0 && resources.groups.length === 0 && resources.redisKeys.length === 0;
}

/** A few names of each kind, for the error message. */
export function describeResources(resources: TestResources): string {
  const some = (names: string[]): string => (names.length === 0 ? 'none' : `${names.length} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`);
  return `topics ${some(resources.topics)}; consumer groups ${some(resources.groups)}; Redis keys ${some(resources.redisKeys)}`;
}
