import Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { escapeGlob } from '../../../test/support/redis-flush';

export interface CleanupTarget {
  kafka: Kafka;
  redisUrl: string;
  registryUrl: string;
  /** Every topic, consumer group and registry subject of the run starts with it. */
  topicPrefix: string;
  /** Every Redis key of the run starts with it. */
  redisPrefix: string;
}

/**
 * Deletes what the run created, and only that: topics, consumer groups and
 * registry subjects starting with the run's topic prefix, Redis keys starting
 * with its key prefix (SCAN + DEL, never FLUSHALL). Returns one line per kind.
 */
export async function cleanupRun(target: CleanupTarget): Promise<string[]> {
  const report: string[] = [];
  const admin = target.kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(target.topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 15_000 });
    report.push(`${topics.length} topics deleted`);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(target.topicPrefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    report.push(`${groups.length} consumer groups deleted`);
  } finally {
    await admin.disconnect();
  }

  const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(target.redisPrefix)}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    report.push(`${deleted} Redis keys deleted`);
  } finally {
    redis.disconnect();
  }

  try {
    const response = await fetch(`${target.registryUrl}/subjects`, { signal: AbortSignal.timeout(5000) });
    const subjects = ((await response.json()) as string[]).filter((subject) => subject.startsWith(target.topicPrefix));
    for (const subject of subjects) {
      const url = `${target.registryUrl}/subjects/${encodeURIComponent(subject)}`;
      await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
      await fetch(`${url}?permanent=true`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
    }
    report.push(`${subjects.length} registry subjects deleted`);
  } catch (error) {
    report.push(`registry subjects not deleted: ${(error as Error).message}`);
  }
  return report;
}

