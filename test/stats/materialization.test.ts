import type { INestApplication } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import request from 'supertest';
import { TOPICS, topicName } from '@workpipe/contracts';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { StatsLedger } from '@workpipe/stats-model';
import { factOfStoryEvent, type StoryEvent } from '../../libs/stats-model/src/testing/item-story';
import { MIXED_SCENARIO_EXPECTED, mixedScenario } from '../../libs/stats-model/src/testing/scenario';
import { StatsKeys } from '../../apps/stats/src/redis/stats-keys';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { bulkStories } from './support/bulk-stories';
import { expectedBatchAnswer, expectedOverallAnswer, timeless } from './support/expected-answer';
import { deleteKeys } from './support/redis-scope';
import { expectEventually, getJson, startStats } from './support/stats-service';
import { readStoryEvents, StoryPublisher } from './support/story-topics';

/** The item an event is about. */
function itemIdOfStoryEvent(event: StoryEvent): string {
  return event.topic === 'work' || event.topic === 'succeeded' ? event.value.itemId : event.value.item.itemId;
}

/**
 * The "done when": the stats equal what the test counts from the
 * topics themselves; stopping and restarting mid-stream, replaying the whole
 * topics to the consumer group, and rebuilding an emptied Redis from the
 * topics all give the same numbers, nothing counted twice.
 */
describe('stats materialization: counted exactly once', () => {
  const env = new TestEnv('stats-count');
  const ROLES = ['work', 'succeeded', 'failed', 'abandoned'] as const;
  let kafka: Kafka;
  let admin: Admin;
  let serde: RegistrySerde;
  let publisher: StoryPublisher;
  let stats: INestApplication | undefined;
  const published: StoryEvent[] = [];
  const t0 = Date.now() - 10 * 60_000;
  let reads = 0;

  /** The model fed with what is really on the topics (timestamps included). */
  async function ledgerFromTopics(): Promise<StatsLedger> {
    const events = await readStoryEvents(kafka, serde, env.topicPrefix, published.length, `${env.id}-reader-${++reads}`);
    const ledger = new StatsLedger();
    for (const event of events) ledger.apply(factOfStoryEvent(event));
    return ledger;
  }

  async function publish(events: readonly StoryEvent[]): Promise<void> {
    await publisher.publish(events);
    published.push(...events);
  }

  async function expectNumbers(app: INestApplication, ledger: StatsLedger): Promise<void> {
    for (const batchId of ledger.batchIds()) {
      await expectEventually(async () => timeless(await getJson(app, `/v1/batches/${encodeURIComponent(batchId)}`)), expectedBatchAnswer(ledger, batchId), 90_000, `batch ${batchId}`);
    }
    await expectEventually(async () => timeless(await getJson(app, '/v1/stats'), false), expectedOverallAnswer(ledger), 30_000, 'overall');
  }

  async function stopStats(): Promise<void> {
    await stats?.close();
    stats = undefined;
  }

  beforeAll(async () => {
    kafka = env.kafka();
    admin = kafka.admin();
    await admin.connect();
    const config = env.config('stats');
    serde = new RegistrySerde(config.schemaRegistry);
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(pipelineTopics(config.kafka, [...ROLES, 'alerts']));
    publisher = new StoryPublisher(kafka, serde, env.topicPrefix);
    await publisher.connect();
  });

  afterAll(async () => {
    await stopStats();
    await publisher?.disconnect();
    await admin?.disconnect();
    await cleanupWithSubjects(env);
  });

  /**
   * What every test starts from, published and counted once (by whichever test asks first, so
   * each test also runs alone): batch `mixed` (the hand-counted scenario) and 150 items of
   * `bulk-a`, with a stats instance running and agreeing with the topics.
   */
  let baselineRun: Promise<void> | undefined;
  const baseline = (): Promise<void> =>
    (baselineRun ??= (async () => {
      await publish(mixedScenario('mixed', t0).events);
      await publish(bulkStories('bulk-a', 150, t0, 1));
      stats ??= await startStats(env);
      await expectNumbers(stats, await ledgerFromTopics());
    })());

  /** The running stats instance, started if the test before stopped it. */
  async function runningStats(): Promise<INestApplication> {
    await baseline();
    stats ??= await startStats(env);
    return stats;
  }

  /** A batch's items submitted as materialized in Redis right now (read directly: no stats instance need run). */
  async function materializedSubmitted(batchId: string): Promise<number> {
    const redis = env.redis();
    try {
      return Number((await redis.hget(new StatsKeys(env.redisPrefix).counters(batchId), 'submitted')) ?? 0);
    } finally {
      redis.disconnect();
    }
  }

  it('equals the numbers counted by hand and from the topics, duplicates ignored', async () => {
    const stats = await runningStats();
    await expectNumbers(stats, await ledgerFromTopics());

    const mixed = await getJson(stats, '/v1/batches/mixed');
    const expected = MIXED_SCENARIO_EXPECTED;
    expect(mixed.items).toEqual(expected.items);
    expect(mixed.succeeded).toEqual(expected.succeeded);
    expect(mixed.failures).toMatchObject(expected.failures);
    expect(mixed.abandoned).toEqual(expected.abandoned);
    expect(mixed.retries).toMatchObject({ scheduled: expected.retries.scheduled, replays: expected.retries.replays });
    expect((mixed.retries as { waitMs: { count: number } }).waitMs.count).toBe(expected.retries.waitCount);
    expect(mixed.timeToSuccessMs).toEqual(expected.timeToSuccessMs);
    expect(mixed.duplicatesIgnored).toBe(expected.duplicatesIgnored);
    expect(mixed.oldestPendingItemAt).toBe(new Date(t0).toISOString());

    const overall = await getJson(stats, '/v1/stats');
    expect((overall.items as { submitted: number }).submitted).toBe(7 + 150);
    expect((await request(stats.getHttpServer()).get('/v1/batches/no-such-batch')).status).toBe(404);
    expect((await getJson(stats, '/v1/batches')).batches).toEqual(expect.arrayContaining(['mixed', 'bulk-a']));
  });

  it('gives the same numbers after a stop mid-stream and a restart, nothing counted twice', async () => {
    await baseline();
    await stopStats();
    stats = await startStats(env, { STATS_APPLY_CHUNK_SIZE: '10' });
    // The stop lands in the middle of bulk-b by construction: its first 1000 items are published
    // before it (applied in small chunks, so it may land among them too), the other 500 after it.
    const TOTAL = 1500;
    const bulkB = bulkStories('bulk-b', TOTAL, t0 + 60_000, 2);
    const isEarly = (event: StoryEvent) => Number(/-item-(\d+)$/.exec(itemIdOfStoryEvent(event))?.[1]) < 1000;
    await publish(bulkB.filter(isEarly));
    const app = stats;
    await waitFor(
      async () => {
        const response = await request(app.getHttpServer()).get('/v1/batches/bulk-b');
        return response.status === 200 && (response.body as { items: { submitted: number } }).items.submitted > 0;
      },
      { timeoutMs: 60_000, intervalMs: 20, description: 'bulk-b under way' },
    );
    await stopStats();
    const atStop = await materializedSubmitted('bulk-b');
    process.stdout.write(`stopped stats with ${atStop} of ${TOTAL} items of bulk-b counted (1000 published before the stop)\n`);
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(TOTAL);

    // While stats is down: the rest of bulk-b, more work, and every event of bulk-a emitted again (redeliveries).
    await publish(bulkB.filter((event) => !isEarly(event)));
    await publish(bulkStories('bulk-c', 200, t0 + 120_000, 3));
    await publish(published.filter((event) => event.topic !== 'work' && 'item' in event.value && event.value.item.batchId === 'bulk-a'));

    stats = await startStats(env);
    const ledger = await ledgerFromTopics();
    await expectNumbers(stats, ledger);
    expect((await getJson(stats, '/v1/batches/bulk-b')).items).toMatchObject({ submitted: TOTAL });
    const bulkA = await getJson(stats, '/v1/batches/bulk-a');
    expect(bulkA.items).toEqual(expectedBatchAnswer(ledger, 'bulk-a').items);
    expect(bulkA.duplicatesIgnored as number).toBeGreaterThan(0);
  });

  it('resumes from the offsets in Redis, not the consumer group: a group reset re-reads nothing twice', async () => {
    await runningStats();
    const ledger = await ledgerFromTopics();
    await expectNumbers(stats as INestApplication, ledger);
    await stopStats();
    // Without its committed offsets the group starts over from the beginning of every topic.
    const groupId = `${env.topicPrefix}stats`;
    await admin.deleteGroups([groupId]);

    stats = await startStats(env);
    // The consumer seeks past what Redis holds, which commits the group to the log ends.
    await waitFor(
      async () => {
        for (const role of ROLES) {
          const topic = topicName(env.topicPrefix, TOPICS[role]);
          const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
          for (const end of ends) {
            const at = committed[0]?.partitions.find((p) => p.partition === end.partition)?.offset;
            if (end.high !== '0' && at !== end.high) return false;
          }
        }
        return true;
      },
      { timeoutMs: 60_000, description: 'the group positioned at the log ends' },
    );
    await expectNumbers(stats, ledger);

  });

  it('rebuilds the same numbers from the topics into an emptied Redis', async () => {
    const running = await runningStats();
    const ledger = await ledgerFromTopics();
    await expectNumbers(running, ledger);
    const before = new Map<string, unknown>();
    for (const batchId of ledger.batchIds()) before.set(batchId, timeless(await getJson(running, `/v1/batches/${encodeURIComponent(batchId)}`)));
    await stopStats();
    const redis = env.redis();
    try {
      expect(await deleteKeys(redis, env.redisPrefix)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    stats = await startStats(env);
    await expectNumbers(stats, ledger);
    for (const [batchId, answer] of before) expect(timeless(await getJson(stats, `/v1/batches/${encodeURIComponent(batchId)}`))).toEqual(answer);
  });

  it('rebuilds, rather than skipping what came before, when Redis is emptied while it counts', async () => {
    await stopStats();
    stats = await startStats(env, { STATS_APPLY_CHUNK_SIZE: '10' });
    const app = stats;
    await publish(bulkStories('bulk-d', 1500, t0 + 180_000, 4));
    await waitFor(
      async () => {
        const response = await request(app.getHttpServer()).get('/v1/batches/bulk-d');
        return response.status === 200 && (response.body as { items: { submitted: number } }).items.submitted > 0;
      },
      { timeoutMs: 60_000, intervalMs: 20, description: 'bulk-d under way' },
    );
    // Mid-stream: the offsets go with everything else; the next chunk of every partition would otherwise land on an empty Redis.
    const redis = env.redis();
    try {
      expect(await deleteKeys(redis, env.redisPrefix)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    await publish(bulkStories('bulk-e', 100, t0 + 240_000, 5));
    await expectNumbers(app, await ledgerFromTopics());
  });
});
