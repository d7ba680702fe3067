import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName } from '@workpipe/contracts';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { flushKeysUnder } from '../support/redis-flush';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { getJson, startStats } from './support/stats-service';
import { StoryTopics } from './support/story-topics';
import { snapshotTopic, type TopicSnapshot } from './support/topic-snapshot';

const HOUR = 3_600_000;
/** The topics the stats service reads: clear-old must leave every one of them as it was. */
const READ_TOPICS = [TOPICS.work, TOPICS.failed, TOPICS.succeeded, TOPICS.abandoned] as const;

/** A snapshot's records in position order (they are read from the partitions in any order). */
const sorted = (snapshot: TopicSnapshot) => [...snapshot.records].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));

interface FailureRow {
  itemId: string;
  status: string;
}

/**
 * `POST /v1/failures/clear-old` hides old abandoned entries from the failures
 * view and "never deletes from Kafka": every topic the stats service reads is
 * compared record by record (offsets, keys, value bytes) and by watermarks
 * (a records deletion raises the low one) before and after the call, and a
 * rebuild of the stats from the topics (Redis emptied, the service restarted)
 * shows the hidden entries again, which it could not if they had left Kafka.
 */
describe('POST /v1/failures/clear-old and the topics', () => {
  const env = new TestEnv('clear-old-kafka');
  let topics: StoryTopics | undefined;
  let stats: INestApplication | undefined;
  const now = Date.now();

  const failures = async (query: string) => (await getJson(stats as INestApplication, `/v1/failures${query}`)) as unknown as { total: number; items: FailureRow[] };
  const abandonedIds = async () => (await failures('?status=abandoned')).items.map((row) => row.itemId);
  const snapshots = async (label: string): Promise<Record<string, TopicSnapshot>> => {
    const kafka = env.kafka();
    const entries = [];
    for (const base of READ_TOPICS) entries.push([base, await snapshotTopic(kafka, topicName(env.topicPrefix, base), `${env.id}-${label}`)] as const);
    return Object.fromEntries(entries);
  };

  beforeAll(async () => {
    topics = await StoryTopics.open(env);
    stats = await startStats(env, { ALERT_RULES: 'STUCK_PENDING' });
  });

  afterAll(async () => {
    await stats?.close();
    await topics?.close();
    await env.cleanup();
  });

  it('hides the old abandoned entries, and every record stays in Kafka: same offsets and bytes, and a rebuild from the topics shows them again', async () => {
    const old = now - 30 * HOUR;
    const stories = [
      new ItemStory({ itemId: 'old-a', batchId: 'b', createdAtMs: old }).submit().fail('API_ERROR', old + 1_000).abandon('MAX_ATTEMPTS', old + 2_000),
      new ItemStory({ itemId: 'old-b', batchId: 'b', createdAtMs: old - 18 * HOUR })
        .submit()
        .fail('TIMEOUT', old - 18 * HOUR + 1_000)
        .retry(old - 18 * HOUR + 31_000)
        .fail('TIMEOUT', old - 18 * HOUR + 32_000)
        .abandon('MAX_ATTEMPTS', old - 18 * HOUR + 33_000),
      new ItemStory({ itemId: 'old-c', batchId: 'b', createdAtMs: now - 26 * HOUR })
        .submit()
        .fail('AUTHENTICATION', now - 26 * HOUR + 1_000, { retryable: false })
        .abandon('NOT_RETRYABLE', now - 26 * HOUR + 1_100),
      new ItemStory({ itemId: 'recent', batchId: 'b', createdAtMs: now - 2 * HOUR }).submit().fail('EMPTY_REPORT', now - 2 * HOUR + 1_000).abandon('MAX_ATTEMPTS', now - 2 * HOUR + 2_000),
      // Old, but waiting for a retry, not abandoned: clear-old leaves it in the view.
      new ItemStory({ itemId: 'waiting', batchId: 'b', createdAtMs: old }).submit().fail('API_ERROR', old + 1_000),
      new ItemStory({ itemId: 'done', batchId: 'b', createdAtMs: old }).submit().succeed(old + 500),
    ];
    await (topics as StoryTopics).publisher.publish(stories.flatMap((story) => story.events));
    // Every event applied: the dead letters (published last) make four of the five failures abandoned.
    await waitFor(async () => (await failures('')).total === 5 && (await abandonedIds()).length === 4, { timeoutMs: 30_000, description: '5 failures, 4 abandoned' });
    expect(await abandonedIds()).toEqual(['old-b', 'old-a', 'old-c', 'recent']);
    const before = await snapshots('before');
    // 6 first attempts and a retry, 6 failed attempts, 1 success, 4 dead letters: what was published is what is there.
    expect(Object.fromEntries(Object.entries(before).map(([base, snapshot]) => [base, snapshot.records.size]))).toEqual({
      [TOPICS.work]: 7,
      [TOPICS.failed]: 6,
      [TOPICS.succeeded]: 1,
      [TOPICS.abandoned]: 4,
    });

    const cleared = await request((stats as INestApplication).getHttpServer()).post('/v1/failures/clear-old').send({ olderThanHours: 24 }).expect(200);
    expect(cleared.body).toEqual({ hidden: 3, cutoff: expect.any(String) });
    expect(Date.parse(cleared.body.cutoff)).toBeGreaterThanOrEqual(now - 24 * HOUR);
    expect(await abandonedIds()).toEqual(['recent']);
    expect((await failures('')).items.map((row) => row.itemId)).toEqual(['waiting', 'recent']);

    const after = await snapshots('after');
    for (const base of READ_TOPICS) {
      const [was, is] = [before[base] as TopicSnapshot, after[base] as TopicSnapshot];
      expect({ topic: base, watermarks: is.watermarks }).toEqual({ topic: base, watermarks: was.watermarks });
      expect({ topic: base, records: sorted(is) }).toEqual({ topic: base, records: sorted(was) });
    }
    expect(after[TOPICS.abandoned]?.watermarks.every((partition) => partition.low === '0')).toBe(true);

    // A rebuild from the topics alone: stats stopped, its Redis keys gone, started again.
    await (stats as INestApplication).close();
    stats = undefined;
    const redis = env.redis();
    try {
      expect(await flushKeysUnder(redis, env.redisPrefix)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    stats = await startStats(env, { ALERT_RULES: 'STUCK_PENDING' });
    await waitFor(async () => (await abandonedIds()).length === 4 && (await failures('')).total === 5, { timeoutMs: 60_000, description: 'the rebuilt failures view' });
    expect(await abandonedIds()).toEqual(['old-b', 'old-a', 'old-c', 'recent']);
    expect(((await getJson(stats, '/v1/stats')) as { items: { abandoned: number } }).items.abandoned).toBe(4);
  });
});
