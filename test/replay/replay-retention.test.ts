import { ConfigResourceTypes } from 'kafkajs';
import { ReplayRequest, TOPICS, topicName } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { ledgerSlot, REPLAY_RECORD_RETENTION_MS, ReplayKeys } from '@workpipe/replay';
import { escapeGlob } from '../support/redis-flush';
import { scanKeys } from '../stats/support/redis-scope';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';
import { floodDeadLetters } from './support/dead-letter-flood';
import { call, positionsOf, replayEnded, startStatsApp, type StatsApp } from './support/replay-stats';

const COUNT = 12;

/**
 * Nothing of the replay bookkeeping that makes "each dead letter replayed
 * once" expires: the ledger's bitmaps have no TTL in Redis (unlike the replay's
 * record, kept 30 days), and the `replays` topic, like the dead letters it
 * speaks of, has no retention (time or size) and is not compacted.
 */
describe('replays: a ledger and an audit kept forever', () => {
  const env = new TestEnv('replay-retention');
  let stats: StatsApp | undefined;

  beforeAll(async () => {
    stats = await startStatsApp(env);
  });

  afterAll(async () => {
    await stats?.close();
    await env.cleanup();
  });

  it('keeps the ledger bitmaps without a TTL, so the same dead letters are still "already replayed" by a later replay', async () => {
    const service = stats as NonNullable<typeof stats>;
    const abandoned = topicName(env.topicPrefix, TOPICS.abandoned);
    await floodDeadLetters(env.kafka(), new RegistrySerde(env.config('cli').schemaRegistry), abandoned, COUNT, 'keep');
    const selection = { kind: 'dead-letters', batchIds: ['keep'] };
    expect((await call(service, '/v1/replays', { replayId: 'keep-1', selection })).status).toBe(202);
    expect(await replayEnded(service, 'keep-1', 1)).toMatchObject({ state: 'complete', counts: { selected: COUNT, republished: COUNT } });

    const redis = env.redis();
    try {
      const keys = new ReplayKeys(env.redisPrefix);
      const ledgerKeys = await scanKeys(redis, `${escapeGlob(keys.ledgerBase(abandoned))}*`);
      const positions = await positionsOf(env, abandoned);
      expect(positions).toHaveLength(COUNT);
      // One bitmap per partition holding dead letters (offsets below 2^20: shard 0), no reservation left pending.
      const partitions = [...new Set(positions.map((position) => position.split(':')[0]))];
      expect(ledgerKeys).toEqual(partitions.map((partition) => `${keys.ledgerBase(abandoned)}${partition}:0`).sort());
      for (const position of positions) {
        const [partition, offset] = position.split(':') as [string, string];
        const { shard, bit } = ledgerSlot(offset);
        expect({ position, bit: await redis.getbit(`${keys.ledgerBase(abandoned)}${partition}:${shard}`, bit) }).toEqual({ position, bit: 1 });
      }
      for (const key of ledgerKeys) {
        expect({ key, type: await redis.type(key), pttl: await redis.pttl(key) }).toEqual({ key, type: 'string', pttl: -1 });
      }
      // The record does expire (30 days after its last change): the TTLs read here are real ones.
      const recordTtl = await redis.pttl(keys.record('keep-1'));
      expect(recordTtl).toBeGreaterThan(REPLAY_RECORD_RETENTION_MS - 3_600_000);
      expect(recordTtl).toBeLessThanOrEqual(REPLAY_RECORD_RETENTION_MS);
    } finally {
      redis.disconnect();
    }

    // Another replay of the same dead letters, whenever it comes, finds them in the ledger.
    expect((await call(service, '/v1/replays', { replayId: 'keep-2', selection })).status).toBe(202);
    expect(await replayEnded(service, 'keep-2', 1)).toMatchObject({ state: 'complete', counts: { selected: COUNT, republished: 0, alreadyReplayed: COUNT } });
  });

  it('keeps the replays topic forever (no time or size retention, not compacted), as the abandoned topic it speaks of', async () => {
    const service = stats as NonNullable<typeof stats>;
    // A request recorded on it: a dry run of nothing in particular.
    expect((await call(service, '/v1/replays', { selection: { kind: 'dead-letters', batchIds: ['none'] }, dryRun: true })).status).toBe(200);
    const replays = topicName(env.topicPrefix, TOPICS.replays);
    const reader = await new TopicReader(env.kafka(), new RegistrySerde(env.config('cli').schemaRegistry), replays, ReplayRequest, `${env.id}-replays`).start();
    try {
      await waitFor(() => reader.values().some((event) => event.action === 'dry-run'), { timeoutMs: 30_000, description: 'the dry run on the replays topic' });
    } finally {
      await reader.stop();
    }

    const admin = env.kafka().admin();
    await admin.connect();
    try {
      const names = ['retention.ms', 'retention.bytes', 'cleanup.policy'];
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [replays, topicName(env.topicPrefix, TOPICS.abandoned)].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: names })),
      });
      const effective = Object.fromEntries(
        resources.map((resource) => [resource.resourceName, Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue]))]),
      );
      const forever = { 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete' };
      expect(effective).toEqual({ [replays]: forever, [topicName(env.topicPrefix, TOPICS.abandoned)]: forever });
    } finally {
      await admin.disconnect();
    }
  });
});
