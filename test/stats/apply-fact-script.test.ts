import type Redis from 'ioredis';
import { ResumePositionLostError } from '@workpipe/kafka';
import { OVERALL, StatsLedger } from '@workpipe/stats-model';
import { FactApplier } from '../../apps/stats/src/materializer/fact-applier';
import { StatsKeys } from '../../apps/stats/src/redis/stats-keys';
import { mixedScenario } from '../../libs/stats-model/src/testing/scenario';
import { factOfStoryEvent, ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { seededRandom } from '../../libs/stats-model/src/testing/seeded-random';
import { TestEnv } from '../support/test-env';
import { interleave, partitionEvents, type PositionedEvent } from './support/partitioned-stream';
import { comparable, deleteKeys, readScopeTotals } from './support/redis-scope';

/**
 * The Lua materialization against the pure model, on real Redis: the same
 * events, in many interleavings of the partitions, with duplicates and
 * redeliveries, must give exactly the model's numbers.
 */
describe('apply-fact Lua script', () => {
  const env = new TestEnv('stats-lua');
  let redis: Redis;
  const T0 = Date.parse('2026-11-20T10:00:00.000Z');

  beforeAll(() => {
    redis = env.redis();
  });

  afterAll(async () => {
    await deleteKeys(redis, env.redisPrefix);
    redis.disconnect();
  });

  async function applyAll(applier: FactApplier, events: readonly PositionedEvent[]): Promise<string[]> {
    const outcomes: string[] = [];
    // One pipeline per run of the same partition, as the consumer sends them.
    let run: PositionedEvent[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const first = run[0] as PositionedEvent;
      const results = await applier.apply(first.topic, first.partition, run.map((e) => ({ offset: e.offset, fact: e.fact })));
      outcomes.push(...results.map((r) => r.outcome));
      run = [];
    };
    for (const event of events) {
      const head = run[0];
      if (head && (head.topic !== event.topic || head.partition !== event.partition)) await flush();
      run.push(event);
    }
    await flush();
    return outcomes;
  }

  function bigStream(): PositionedEvent[] {
    const scenarios = [mixedScenario('lua-a', T0), mixedScenario('lua-b', T0 + 90_000)];
    const extra: ItemStory[] = [];
    for (let i = 0; i < 60; i++) {
      const story = new ItemStory({ itemId: `bulk-${i}`, batchId: i % 2 ? 'lua-a' : 'lua-b', createdAtMs: T0 + i * 7_000 }).submit();
      if (i % 5 === 0) story.fail('TIMEOUT', T0 + i * 7_000 + 500).retry(T0 + i * 7_000 + 30_500).succeed(T0 + i * 7_000 + 31_000);
      else if (i % 7 === 0) story.fail('API_ERROR', T0 + i * 7_000 + 500).abandon('NOT_RETRYABLE', T0 + i * 7_000 + 600);
      else if (i % 3 !== 0) story.succeed(T0 + i * 7_000 + 1_000 + i * 10);
      extra.push(story);
    }
    const events = [...scenarios.flatMap((s) => s.events), ...extra.flatMap((s) => s.events)];
    return partitionEvents(events, 3);
  }

  it('matches the model for every interleaving of the partitions', async () => {
    const stream = bigStream();
    const ledger = new StatsLedger();
    for (const event of stream) ledger.apply(event.fact);
    const random = seededRandom(11);
    for (let round = 0; round < 5; round++) {
      const prefix = `${env.redisPrefix}r${round}:`;
      const keys = new StatsKeys(prefix);
      const applier = new FactApplier(redis, keys.base);
      const outcomes = await applyAll(applier, interleave(stream, random));
      expect(outcomes.filter((o) => o === 'stale')).toHaveLength(0);
      expect(outcomes.filter((o) => o === 'duplicate').length).toBe(ledger.snapshot(OVERALL).counters.duplicates);
      expect(await readScopeTotals(redis, keys.scope())).toEqual(comparable(ledger.totals(OVERALL)));
      for (const batchId of ledger.batchIds()) {
        expect(await readScopeTotals(redis, keys.scope(batchId))).toEqual(comparable(ledger.totals({ kind: 'batch', batchId })));
      }
    }
  });

  it('skips a redelivered offset as stale and changes nothing', async () => {
    const stream = bigStream();
    const keys = new StatsKeys(`${env.redisPrefix}stale:`);
    const applier = new FactApplier(redis, keys.base);
    await applyAll(applier, stream);
    const before = await readScopeTotals(redis, keys.scope());
    const outcomes = await applyAll(applier, stream.slice(0, 40));
    expect(new Set(outcomes)).toEqual(new Set(['stale']));
    expect(await readScopeTotals(redis, keys.scope())).toEqual(before);
  });

  it('counts an undecodable message once and moves past it', async () => {
    const keys = new StatsKeys(`${env.redisPrefix}invalid:`);
    const applier = new FactApplier(redis, keys.base);
    expect((await applier.apply('work', 0, [{ offset: '0', fact: null }]))[0]?.outcome).toBe('invalid');
    expect((await applier.apply('work', 0, [{ offset: '0', fact: null }]))[0]?.outcome).toBe('stale');
    expect(await redis.hget(keys.counters(), 'invalid_events')).toBe('1');
  });

  it('refuses a chunk when the stored offset is missing or behind the one the consumer knows, writing nothing', async () => {
    const keys = new StatsKeys(`${env.redisPrefix}lost:`);
    const applier = new FactApplier(redis, keys.base);
    const story = new ItemStory({ itemId: 'lost-1', batchId: 'lost', createdAtMs: T0 }).submit().succeed(T0 + 1_000);
    const [work, succeeded] = story.events.map(factOfStoryEvent);
    expect((await applier.apply('work', 0, [{ offset: '7', fact: work ?? null }], null))[0]?.outcome).toBe('applied');
    // Known 7, stored 7: continues.
    expect((await applier.apply('work', 0, [{ offset: '9', fact: null }], '7'))[0]?.outcome).toBe('invalid');
    await deleteKeys(redis, `${env.redisPrefix}lost:`);
    await expect(applier.apply('succeeded', 0, [{ offset: '3', fact: succeeded ?? null }], '2')).rejects.toThrow(ResumePositionLostError);
    await redis.hset(keys.offsets(), 'work:0', '8');
    await expect(applier.apply('work', 0, [{ offset: '10', fact: null }], '9')).rejects.toThrow(/stored offset is 8, the consumer knows 9/);
    expect(await redis.hgetall(keys.offsets())).toEqual({ 'work:0': '8' });
    expect(await redis.hget(keys.counters(), 'invalid_events')).toBeNull();
    // Nothing known (a rebuild from the log start): applies.
    expect((await applier.apply('succeeded', 0, [{ offset: '3', fact: succeeded ?? null }], null))[0]?.outcome).toBe('applied');
  });

  it('refuses a malformed fact before writing anything', async () => {
    const keys = new StatsKeys(`${env.redisPrefix}malformed:`);
    const applier = new FactApplier(redis, keys.base);
    const broken = { kind: 'failed', itemId: 'x' } as never;
    await expect(applier.apply('failed', 0, [{ offset: '5', fact: broken }])).rejects.toThrow(/apply-fact: the fact has no/);
    expect(await redis.hget(keys.offsets(), 'failed:0')).toBeNull();
  });
});
