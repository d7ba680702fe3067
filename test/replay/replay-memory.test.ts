import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperationsApi, TOPICS, topicName } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { compileService, removeCompiled, type CompiledService } from '../../tools/services/compiled-service';
import { freePort, startServiceProcess, stopService, waitReady, type ServiceProcess } from '../../tools/services/service-process';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { floodDeadLetters } from './support/dead-letter-flood';
import { serviceMemoryEnv } from '../../tools/services/service-memory';

/** Dead letters of the flood. */
const COUNT = 200_000;
/** The stats process must stay under this while it replays them, in MiB. */
const RSS_LIMIT_MB = 200;
const OPERATOR = 'operator-key-0001';
/**
 * The stats service runs as it ships (`serviceMemoryEnv('stats')`: a capped old space, a small young
 * generation, two malloc arenas). REPLAY_MEMORY_NODE_OPTIONS overrides NODE_OPTIONS (`''` for Node's
 * defaults), to compare.
 */
const MEMORY_ENV =
  process.env.REPLAY_MEMORY_NODE_OPTIONS === undefined ? serviceMemoryEnv('stats') : { NODE_OPTIONS: process.env.REPLAY_MEMORY_NODE_OPTIONS };

/** Resident set size of a process now, in MB (10^6 bytes), from /proc (what the kernel charges it, native memory included). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024) / 1e6;
}

/**
 * A replay of 200,000 dead letters runs in bounded memory: the stats service
 * runs as a child process compiled from the sources (as in production), the
 * dead letters are written straight to its abandoned topic, one replay takes
 * them all, and the process's RSS is sampled from /proc every 100 ms from
 * before the flood until the replay is complete. Figures are printed.
 */
describe('a replay of 200,000 dead letters', () => {
  const env = new TestEnv('replay-200k');
  let build: CompiledService | undefined;
  let stats: ServiceProcess | undefined;

  afterAll(async () => {
    if (stats) await stopService(stats);
    if (build) removeCompiled(build);
    await env.cleanup();
  });

  it(`completes with the stats process's RSS under ${RSS_LIMIT_MB} MB`, async () => {
    const root = join(__dirname, '../..');
    build = compileService(root, 'stats', env.id);
    const config = env.config('stats');
    const port = await freePort();
    stats = startServiceProcess({
      name: 'stats',
      entry: build.entry,
      nodeArgs: ['-r', build.preload],
      port,
      cwd: root,
      logFile: join(build.dir, 'stats.log'),
      env: {
        TOPIC_PREFIX: env.topicPrefix,
        REDIS_KEY_PREFIX: env.redisPrefix,
        TOPIC_PARTITIONS: '3',
        KAFKA_CLIENT_ID: `stats-${env.id}`,
        API_KEYS: `${OPERATOR}:operate+read`,
        LOG_LEVEL: 'warn',
        ...MEMORY_ENV,
      },
    });
    await waitReady(stats, 120_000);
    const pid = stats.process.pid as number;
    const idleRss = rssMb(pid);
    let peakRss = idleRss;
    // REPLAY_MEMORY_TRACE=1: heap and external memory every second, from the service's /metrics.
    const trace = process.env.REPLAY_MEMORY_TRACE
      ? setInterval(() => {
          void fetch(`${stats?.url}/metrics`, { headers: { 'x-api-key': OPERATOR } })
            .then((response) => response.text())
            .then((text) => {
              const metric = (name: string) => (Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0) / 1e6).toFixed(0);
              process.stdout.write(
                `rss ${metric('process_resident_memory_bytes')} heapUsed ${metric('nodejs_heap_size_used_bytes')} heapTotal ${metric('nodejs_heap_size_total_bytes')} external ${metric('nodejs_external_memory_bytes')}\n`,
              );
            })
            .catch(() => undefined);
        }, 1_000)
      : undefined;
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rssMb(pid));
      } catch {
        // the process is gone; the test fails on its answers
      }
    }, 100);
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${stats?.url}${path}`, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR, ...(init.headers as Record<string, string>) } });

    try {
      const floodStarted = Date.now();
      await floodDeadLetters(env.kafka(), new RegistrySerde(config.schemaRegistry), topicName(env.topicPrefix, TOPICS.abandoned), COUNT, 'flood');
      const floodMs = Date.now() - floodStarted;
      const floodPeak = peakRss;

      const started = Date.now();
      const created = await call('/v1/replays', { method: 'POST', body: JSON.stringify({ replayId: 'flood-all', selection: { kind: 'dead-letters', batchIds: ['flood'] } }) });
      expect(created.status).toBe(202);
      const view = await waitFor(
        async () => {
          const parsed = OperationsApi.ReplayViewSchema.parse(await (await call('/v1/replays/flood-all?list=0')).json());
          return parsed.state !== 'running' && parsed;
        },
        { timeoutMs: 15 * 60_000, intervalMs: 1_000, description: 'the replay of 200,000 dead letters to end' },
      );
      const replayMs = Date.now() - started;
      expect(view).toMatchObject({ state: 'complete', counts: { read: COUNT, selected: COUNT, republished: COUNT, alreadyReplayed: 0, superseded: 0 } });
      expect(view.outcome).toMatchObject({ published: COUNT, pending: COUNT });

      const admin = env.kafka().admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(topicName(env.topicPrefix, TOPICS.work));
        expect(offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0)).toBe(COUNT);
      } finally {
        await admin.disconnect();
      }
      process.stdout.write(
        `\nreplay of ${COUNT} dead letters: ${(replayMs / 1000).toFixed(1)} s (${Math.round(COUNT / (replayMs / 1000))} per second, both passes); ` +
          `flood written in ${(floodMs / 1000).toFixed(1)} s (stats peak meanwhile ${floodPeak.toFixed(0)} MB); stats RSS ${idleRss.toFixed(0)} MB idle, peak ${peakRss.toFixed(0)} MB (limit ${RSS_LIMIT_MB} MB), NODE_OPTIONS ${MEMORY_ENV.NODE_OPTIONS || '(none)'}\n`,
      );
      expect(peakRss).toBeLessThan(RSS_LIMIT_MB);
    } finally {
      clearInterval(sampler);
      clearInterval(trace);
    }
  }, 30 * 60_000);
});
