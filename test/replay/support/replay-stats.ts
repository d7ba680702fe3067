import type { INestApplication } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationsApi, TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { ReplayKeys } from '@workpipe/replay';
import { createService } from '@workpipe/runtime';
import { runCli } from '../../../apps/cli/src/cli';
import { STATS } from '../../../apps/stats/src/stats.service-definition';
import { compileService, removeCompiled, type CompiledService } from '../../../tools/services/compiled-service';
import { freePort, startServiceProcess, waitReady, type ServiceProcess } from '../../../tools/services/service-process';
import type { TestEnv } from '../../support/test-env';
import { TopicReader, type ReadEvent } from '../../support/topic-reader';
import { waitFor } from '../../support/wait-for';

/** API keys of the stats service under test: one that may replay, one that may only read. */
export const OPERATOR_KEY = 'operator-key-0001';
export const READER_KEY = 'reader-key-0001';
const API_KEYS = `${OPERATOR_KEY}:operate+read,${READER_KEY}:read`;

const ROOT = join(__dirname, '../../..');
/** The stats service compiled from the sources once per test process (a fresh clone has no dist/), removed at exit. */
let statsBuild: CompiledService | undefined;
function compiledStats(runId: string): CompiledService {
  if (!statsBuild) {
    const build = compileService(ROOT, 'stats', runId);
    statsBuild = build;
    process.once('exit', () => removeCompiled(build));
  }
  return statsBuild;
}

/** A stats service under test, in this process or as its own: where it answers. */
export interface StatsUnderTest {
  url: string;
}

/** A stats service booted in this process. */
export interface StatsApp extends StatsUnderTest {
  app: INestApplication;
  close(): Promise<void>;
}

/** Boots the stats service in this process on the test's prefixes, with API keys. */
export async function startStatsApp(env: TestEnv, settings: Record<string, string> = {}): Promise<StatsApp> {
  const app = await createService(STATS, env.config('stats', { API_KEYS, ALERT_RULES: 'STUCK_PENDING', ...settings }));
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`, close: () => app.close() };
}

/** The stats service, compiled from the sources, as a child process on the test's prefixes, ready. */
export async function startStatsProcess(env: TestEnv, name: string, settings: Record<string, string> = {}): Promise<ServiceProcess> {
  const build = compiledStats(env.id);
  const service = startServiceProcess({
    name,
    entry: build.entry,
    nodeArgs: ['-r', build.preload],
    port: await freePort(),
    cwd: ROOT,
    logFile: join(tmpdir(), `workpipe-test-${env.id}-${name}.log`),
    env: {
      TOPIC_PREFIX: env.topicPrefix,
      REDIS_KEY_PREFIX: env.redisPrefix,
      TOPIC_PARTITIONS: '3',
      KAFKA_CLIENT_ID: `${name}-${env.id}`,
      API_KEYS,
      ALERT_RULES: 'STUCK_PENDING',
      LOG_LEVEL: 'warn',
      ...settings,
    },
  });
  try {
    await waitReady(service, 90_000);
  } catch (error) {
    service.process.kill('SIGKILL');
    throw error;
  }
  return service;
}

/** SIGKILL, and resolves once the process is gone. */
export async function killNow(service: ServiceProcess): Promise<void> {
  const child = service.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export function removeLog(service: ServiceProcess): void {
  rmSync(service.logFile, { force: true });
}

/**
 * The test's cleanup once its service processes are gone: a group that a
 * killed process was a member of cannot be deleted until the broker has
 * dropped the member (its session timeout), so the cleanup is repeated until
 * no group of the test is left.
 */
export async function cleanupAfterProcesses(env: TestEnv): Promise<void> {
  const admin = env.kafka().admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        await env.cleanup();
        return (await admin.listGroups()).groups.every((group) => !group.groupId.includes(env.id));
      },
      { timeoutMs: 90_000, intervalMs: 2_000, description: `the consumer groups of ${env.id} deleted` },
    );
  } finally {
    await admin.disconnect();
  }
}

/** Calls the operations API with the operator's key; the answer's status and JSON body. */
export async function call(stats: StatsUnderTest, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stats.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR_KEY },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** `GET /v1/replays/:id`, parsed. */
export async function replayView(stats: StatsUnderTest, replayId: string): Promise<OperationsApi.ReplayView> {
  const { status, body } = await call(stats, `/v1/replays/${replayId}`);
  if (status !== 200) throw new Error(`GET /v1/replays/${replayId}: ${status} ${JSON.stringify(body)}`);
  return OperationsApi.ReplayViewSchema.parse(body);
}

/** Waits until the replay's latest run (at least `run`) ended, and returns its view. */
export async function replayEnded(stats: StatsUnderTest, replayId: string, run: number, timeoutMs = 60_000): Promise<OperationsApi.ReplayView> {
  return waitFor(
    async () => {
      const view = await replayView(stats, replayId);
      return view.state !== 'running' && view.lastRun.run >= run && view;
    },
    { timeoutMs, intervalMs: 250, description: `replay ${replayId} run ${run} to end` },
  );
}

/**
 * Waits until no stats instance holds the replay's lease: its run has let go
 * of it (the last thing a run does, after recording its end), so a continue
 * is not refused as "running".
 */
export async function leaseReleased(env: TestEnv, replayId: string): Promise<void> {
  const redis = env.redis();
  try {
    const key = new ReplayKeys(env.redisPrefix).of(replayId, 'lease');
    await waitFor(async () => (await redis.exists(key)) === 0, { timeoutMs: 60_000, description: `the lease of ${replayId} released` });
  } finally {
    redis.disconnect();
  }
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `workpipe` in this process against a stats service, with the operator's key, capturing what it prints. */
export async function workpipe(stats: StatsUnderTest, argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { STATS_URL: stats.url, API_KEY: OPERATOR_KEY },
  });
  return { exitCode, stdout, stderr };
}

/**
 * Reads the work topic (`read_committed`, as every consumer of the pipeline)
 * and counts the items of a replay by the dead letter each came from.
 */
export class ReplayedItems {
  private constructor(private readonly reader: TopicReader<typeof WorkItem.Schema>) {}

  static async open(env: TestEnv): Promise<ReplayedItems> {
    const serde = new RegistrySerde(env.config('cli').schemaRegistry);
    const reader = new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.work), WorkItem, `${env.id}-work-reader`);
    return new ReplayedItems(await reader.start());
  }

  of(replayId: string): ReadEvent<WorkItem.Value>[] {
    return this.reader.events.filter((event) => event.value.replay?.replayId === replayId);
  }

  /** `partition:offset` of the dead letter -> how many items of the replay came from it. */
  bySource(replayId: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { value } of this.of(replayId)) {
      const source = value.replay?.source as { partition: number; offset: string };
      const position = `${source.partition}:${source.offset}`;
      counts.set(position, (counts.get(position) ?? 0) + 1);
    }
    return counts;
  }

  /** Every item read, replayed or not. */
  get all(): number {
    return this.reader.events.length;
  }

  stop(): Promise<void> {
    return this.reader.stop();
  }
}

/** `partition:offset` of every record of a topic now, from its watermarks. */
export async function positionsOf(env: TestEnv, topic: string): Promise<string[]> {
  const admin = env.kafka().admin();
  await admin.connect();
  try {
    const positions: string[] = [];
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      for (let offset = Number(low); offset < Number(high); offset++) positions.push(`${partition}:${offset}`);
    }
    return positions.sort();
  } finally {
    await admin.disconnect();
  }
}
