import { readFileSync } from 'node:fs';
import { Partitioners } from 'kafkajs';
import { TOPICS, topicName, WorkAbandoned } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { ReplayKeys, ReplayLedger } from '@workpipe/replay';
import { stopService, type ServiceProcess } from '../../tools/services/service-process';
import { snapshotTopic } from '../stats/support/topic-snapshot';
import { countRecords } from '../support/record-count';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { floodDeadLetter, floodDeadLetters } from './support/dead-letter-flood';
import {
  call,
  cleanupAfterProcesses,
  killNow,
  leaseReleased,
  positionsOf,
  ReplayedItems,
  removeLog,
  replayEnded,
  replayView,
  startStatsApp,
  startStatsProcess,
  workpipe,
  type StatsApp,
} from './support/replay-stats';
import { setTopicOverrides, topicOverrides } from './support/topic-config';

const serdeOf = (env: TestEnv) => new RegistrySerde(env.config('cli').schemaRegistry);

/** Positions that came out more than once, and those that never did: both must be empty. */
function exactlyOnce(bySource: Map<string, number>, positions: readonly string[]): { twice: string[]; missing: string[]; unknown: string[] } {
  return {
    twice: [...bySource].filter(([, count]) => count > 1).map(([position]) => position),
    missing: positions.filter((position) => !bySource.has(position)),
    unknown: [...bySource.keys()].filter((position) => !positions.includes(position)),
  };
}

/**
 * A replay run that stops half way is finished later with nothing republished
 * twice, counted on the work topic by the dead letter each item came from:
 * after its stats process is killed (the next instance resumes it), and after
 * Kafka refuses its writes (`replay` exits 3, the run is recorded
 * `interrupted`, and `replay --continue ID` does the rest). A record of the
 * range that is no dead letter is left alone and listed, run after run.
 * Each test has its own prefixes and stats service.
 */
describe('replays interrupted and continued', () => {
  it('resumes a run whose stats process was killed (kill -9) mid-publish: the next instance republishes the rest, each dead letter once; --continue then adds nothing', async () => {
    const env = new TestEnv('replay-kill9');
    const COUNT = 300;
    const processes: ServiceProcess[] = [];
    let items: ReplayedItems | undefined;
    let passed = false;
    try {
      const first = await startStatsProcess(env, 'stats-a');
      processes.push(first);
      const abandoned = topicName(env.topicPrefix, TOPICS.abandoned);
      await floodDeadLetters(env.kafka(), serdeOf(env), abandoned, COUNT, 'k9');
      const positions = await positionsOf(env, abandoned);
      expect(positions).toHaveLength(COUNT);
      items = await ReplayedItems.open(env);
      const replayed = items;

      // 30 a second: batches of 30, each reserved in the ledger, then held by the rate, then published.
      const started = await call(first, '/v1/replays', { replayId: 'k9', selection: { kind: 'dead-letters', batchIds: ['k9'] }, ratePerSecond: 30 });
      expect(started.status).toBe(202);
      await waitFor(() => replayed.of('k9').length >= 60, { timeoutMs: 60_000, description: 'the first 60 replayed items' });
      await killNow(first);

      const second = await startStatsProcess(env, 'stats-b');
      processes.push(second);
      const before = await replayView(second, 'k9');
      // Killed half way: still recorded as running, its first run's work partly done.
      expect(before).toMatchObject({ state: 'running', runs: 1 });
      expect(before.counts.republished).toBeGreaterThan(0);
      expect(before.counts.republished).toBeLessThan(COUNT);

      // The next instance resumes it once the dead one's lease has run out; dead letters the killed run
      // had reserved but not confirmed are looked up in the work topic once their reservation is stale.
      const resumed = await replayEnded(second, 'k9', 2, 400_000);
      expect(resumed).toMatchObject({ state: 'complete', runs: 2, counts: { selected: COUNT, republished: COUNT, alreadyReplayed: 0 }, lastRun: { remaining: 0 } });
      expect(resumed.lastRun.earlier + resumed.lastRun.counts.republished).toBe(COUNT);
      expect(resumed.lastRun.earlier).toBeGreaterThanOrEqual(before.counts.republished);
      expect(readFileSync(second.logFile, 'utf8')).toContain('resuming a replay whose run stopped with its process');

      await waitFor(() => replayed.of('k9').length >= COUNT, { timeoutMs: 30_000, description: `${COUNT} replayed items read` });
      expect(exactlyOnce(replayed.bySource('k9'), positions)).toEqual({ twice: [], missing: [], unknown: [] });
      const work = topicName(env.topicPrefix, TOPICS.work);
      expect(await countRecords(env.kafka(), work)).toBe(COUNT);

      // Continuing the finished replay republishes nothing: everything is done, by this replay.
      await leaseReleased(env, 'k9');
      const again = await workpipe(second, ['replay', '--continue', 'k9']);
      expect(again).toMatchObject({ exitCode: 0 });
      expect(again.stdout).toMatch(/replayed in earlier runs +300\n/);
      expect(again.stdout).toMatch(/\n +republished +0\n/);
      expect(await countRecords(env.kafka(), work)).toBe(COUNT);
      passed = true;
    } finally {
      await items?.stop();
      // SIGTERM: the service leaves its groups (the killed one is long gone from them), so they can be deleted.
      for (const service of processes) {
        await stopService(service);
        if (passed) removeLog(service);
        else process.stdout.write(`stats log kept: ${service.logFile}\n`);
      }
      await cleanupAfterProcesses(env);
    }
  }, 600_000);

  it('continues a run that Kafka interrupted mid-publish (replay exits 3, recorded interrupted): replay --continue republishes the rest, each dead letter once', async () => {
    const env = new TestEnv('replay-interrupted');
    const COUNT = 90;
    let stats: StatsApp | undefined;
    let items: ReplayedItems | undefined;
    const work = topicName(env.topicPrefix, TOPICS.work);
    let restore: Record<string, string> | undefined;
    try {
      stats = await startStatsApp(env);
      const service = stats;
      const abandoned = topicName(env.topicPrefix, TOPICS.abandoned);
      await floodDeadLetters(env.kafka(), serdeOf(env), abandoned, COUNT, 'cut');
      const positions = await positionsOf(env, abandoned);
      items = await ReplayedItems.open(env);
      const replayed = items;

      // 4 a second: batches of 4 dead letters of one partition, each partition's read in one chunk of its own, so
      // the run goes on for about 20 s, one partition's chunk publishing while the others wait for the rate.
      const run = workpipe(service, ['replay', '--type', 'API_ERROR', '--rate', '4', '--replay-id', 'cut-1']);
      await waitFor(() => replayed.of('cut-1').length >= 12, { timeoutMs: 60_000, description: 'the first 12 replayed items' });
      // The broker now refuses the work topic's batches of more than 2000 bytes, e.g. 4 items of about 800 bytes
      // (the publisher splits requests by the limit it read before, 1 MB; told "too large", it reads the limit again).
      restore = await topicOverrides(env.kafka(), work);
      await setTopicOverrides(env.kafka(), work, { ...restore, 'max.message.bytes': '2000' });
      const stopped = await run;
      expect(stopped).toMatchObject({ exitCode: 3 });
      expect(stopped.stderr).toContain('is recorded as interrupted');
      expect(stopped.stderr).toContain('resume it with: workpipe replay --continue cut-1');
      const interrupted = await replayView(service, 'cut-1');
      expect(interrupted).toMatchObject({ state: 'interrupted', lastRun: { error: expect.stringContaining(`publishing to ${work} failed`) } });
      expect(interrupted.lastRun.remaining).toBeGreaterThan(0);
      // In the work topic now: what the run confirmed, and perhaps some of a refused request that did go through.
      const written = await countRecords(env.kafka(), work);
      expect(interrupted.counts.republished).toBeGreaterThanOrEqual(12);
      expect(written).toBeGreaterThanOrEqual(interrupted.counts.republished);
      expect(written).toBeLessThan(COUNT);

      await setTopicOverrides(env.kafka(), work, restore);
      restore = undefined;
      await leaseReleased(env, 'cut-1');
      // What the refused requests held stays reserved until the reservations are stale (a refusal does not say
      // what else of the request was written), then is looked up in the work topic: found, it counts as done;
      // not found, it is republished now.
      const resumed = await workpipe(service, ['replay', '--continue', 'cut-1']);
      expect(resumed).toMatchObject({ exitCode: 0 });
      expect(resumed.stdout).toMatch(new RegExp(`replayed in earlier runs +${written}\\n`));
      expect(resumed.stdout).toMatch(new RegExp(`\\n +republished +${COUNT - written}\\n`));
      expect(await replayView(service, 'cut-1')).toMatchObject({
        state: 'complete',
        runs: 2,
        counts: { selected: COUNT, republished: COUNT },
        lastRun: { remaining: 0, earlier: written, counts: { republished: COUNT - written } },
      });

      await waitFor(() => replayed.of('cut-1').length >= COUNT, { timeoutMs: 30_000, description: `${COUNT} replayed items read` });
      expect(exactlyOnce(replayed.bySource('cut-1'), positions)).toEqual({ twice: [], missing: [], unknown: [] });
      expect(await countRecords(env.kafka(), work)).toBe(COUNT);
    } finally {
      if (restore) await setTopicOverrides(env.kafka(), work, restore).catch(() => undefined);
      await items?.stop();
      await stats?.close();
      await env.cleanup();
    }
  }, 600_000);

  it('leaves records of the range that are no dead letter alone and lists their positions in the run, run after run; the dead letters around them are replayed', async () => {
    const env = new TestEnv('replay-undecodable');
    let stats: StatsApp | undefined;
    let items: ReplayedItems | undefined;
    try {
      stats = await startStatsApp(env);
      const service = stats;
      const abandoned = topicName(env.topicPrefix, TOPICS.abandoned);
      const serde = serdeOf(env);
      const at = Date.now();
      const deadLetters = [0, 1, 2, 3].map((n) => floodDeadLetter(n, 'undec', at));
      const encoded = await Promise.all(deadLetters.map((value) => serde.encode(abandoned, WorkAbandoned, value)));
      // Not in the wire format at all, and in the wire format (the registry's schema id) but not a dead letter.
      const garbage = Buffer.from('not a dead letter');
      const notAContract = Buffer.concat([(encoded[0] as Buffer).subarray(0, 5), Buffer.from(JSON.stringify({ item: { itemId: 'broken' }, reason: 'MAX_ATTEMPTS' }))]);
      const values = [encoded[0], encoded[1], garbage, encoded[2], notAContract, encoded[3]] as Buffer[];
      const producer = env.kafka().producer({ idempotent: true, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        // One partition, in this order: offsets 0 to 5.
        await producer.send({ topic: abandoned, acks: -1, messages: values.map((value, n) => ({ partition: 0, key: `undec-key-${n}`, value })) });
      } finally {
        await producer.disconnect();
      }
      expect(await positionsOf(env, abandoned)).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '0:5']);
      const listed = [`${abandoned}:0:2`, `${abandoned}:0:4`];
      const selection = { kind: 'dead-letters', partitions: [0], fromOffset: '0', toOffset: '5' };

      const dry = await call(service, '/v1/replays', { selection, dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body.counts).toMatchObject({ read: 6, wouldReplay: 4, undecodable: 2 });

      items = await ReplayedItems.open(env);
      const replayed = items;
      expect((await call(service, '/v1/replays', { replayId: 'undec-1', selection })).status).toBe(202);
      const view = await replayEnded(service, 'undec-1', 1);
      expect(view).toMatchObject({
        state: 'complete',
        counts: { read: 6, selected: 4, republished: 4, alreadyReplayed: 0, undecodable: 2 },
        lastRun: { undecodable: listed, remaining: 0 },
      });
      const ended = await waitFor(async () => (await replayView(service, 'undec-1')).requests.find((event) => event.action === 'run-ended'), {
        description: 'the end of the run recorded',
      });
      expect(ended.outcome).toMatchObject({ status: 'complete', counts: { undecodable: 2, republished: 4 } });

      await waitFor(() => replayed.of('undec-1').length >= 4, { timeoutMs: 30_000, description: 'the 4 replayed items' });
      expect(exactlyOnce(replayed.bySource('undec-1'), ['0:0', '0:1', '0:3', '0:5'])).toEqual({ twice: [], missing: [], unknown: [] });
      expect(await countRecords(env.kafka(), topicName(env.topicPrefix, TOPICS.work))).toBe(4);
      // Left alone: not marked replayed, and still in the topic as it was.
      const redis = env.redis();
      try {
        const ledger = new ReplayLedger(redis, new ReplayKeys(env.redisPrefix));
        const offsets = ['0', '1', '2', '3', '4', '5'];
        expect(await ledger.settled(abandoned, offsets.map((offset) => ({ partition: 0, offset })))).toEqual([true, true, false, true, false, true]);
      } finally {
        redis.disconnect();
      }
      const kept = await snapshotTopic(env.kafka(), abandoned, env.id);
      expect([kept.records.get('0:2')?.value, kept.records.get('0:4')?.value]).toEqual([garbage.toString('hex'), notAContract.toString('hex')]);

      // Run again: the same positions are listed, nothing more is republished.
      await leaseReleased(env, 'undec-1');
      expect((await call(service, '/v1/replays/undec-1/continue', {})).status).toBe(202);
      const again = await replayEnded(service, 'undec-1', 2);
      expect(again).toMatchObject({ state: 'complete', counts: { republished: 4, undecodable: 2 }, lastRun: { undecodable: listed, earlier: 4, counts: { republished: 0 } } });
      expect(await countRecords(env.kafka(), topicName(env.topicPrefix, TOPICS.work))).toBe(4);
    } finally {
      await items?.stop();
      await stats?.close();
      await env.cleanup();
    }
  });
});
