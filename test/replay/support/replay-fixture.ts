import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkAbandoned, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../../apps/stats/src/stats.service-definition';
import { runCli } from '../../../apps/cli/src/cli';
import { startSimulator, type Outcome, type SimulatorHandle } from '../../../tools/simulator';
import { PipelineHarness, portfolioSubmissions, reportWorkTypes } from '../../support/pipeline-harness';
import { TestEnv } from '../../support/test-env';
import { TopicReader, type ReadEvent } from '../../support/topic-reader';
import { waitFor } from '../../support/wait-for';

/** 60 s of API_ERROR backoff become 300 ms; a whole 5-attempt history takes about 5 s. */
export const TIME_SCALE = '0.005';

/**
 * The portfolios of the scenario and what the simulator answers them, call by
 * call (then `healthy`: ok). Every failing portfolio's next call after its
 * abandonment succeeds, except the hopeless one, which needs two replays.
 */
export const PORTFOLIOS = {
  /** 500 five times: API_ERROR until attempt 5, abandoned MAX_ATTEMPTS; the 6th call (a replay) succeeds. */
  recoverable: ['PF-0001', 'PF-0002', 'PF-0003', 'PF-0004', 'PF-0005', 'PF-0006', 'PF-0007', 'PF-0008', 'PF-0009'],
  /** 401 once: AUTHENTICATION allows 1 attempt, abandoned MAX_ATTEMPTS; a replay succeeds. */
  auth: ['PF-0010', 'PF-0011'],
  /** 400 once: VALIDATION, abandoned NOT_RETRYABLE; not worth retrying. */
  validation: ['PF-0012'],
  /** Six timeouts: TIMEOUT allows 3 attempts, so it is abandoned, replayed, and abandoned again. */
  hopeless: ['PF-0013'],
  /** Succeeds at once. */
  healthy: ['PF-0014'],
} as const;

const DATE = '2026-11-20';
export const itemIdOf = (portfolioId: string): string => `${portfolioId}-${DATE}`;

/** API keys of the stats service: one that may replay, one that may only read (see API_KEYS). */
export const KEYS = { operator: 'operator-key-0001', reader: 'reader-key-0001' } as const;
export const STATS_API_KEYS = `${KEYS.operator}:operate+read,${KEYS.reader}:read`;

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * The whole pipeline (ingestor, processor, retrier, and stats, whose
 * operations API runs the replays, with API keys) against the simulator, the
 * 14 portfolios submitted, and readers of the work, succeeded and abandoned
 * topics; `workpipe` runs the CLI in-process against that stats service.
 */
export class ReplayScenario {
  readonly env: TestEnv;
  readonly harness: PipelineHarness;
  readonly serde: RegistrySerde;
  simulator!: SimulatorHandle;
  /** Base URL of the stats service. */
  statsUrl!: string;
  stats!: INestApplication;
  work!: TopicReader<typeof WorkItem.Schema>;
  succeeded!: TopicReader<typeof WorkSucceeded.Schema>;
  abandoned!: TopicReader<typeof WorkAbandoned.Schema>;

  constructor(name: string) {
    this.env = new TestEnv(name);
    this.harness = new PipelineHarness(this.env);
    this.serde = new RegistrySerde(this.env.config('cli').schemaRegistry);
  }

  topic(base: (typeof TOPICS)[keyof typeof TOPICS]): string {
    return topicName(this.env.topicPrefix, base);
  }

  async start(): Promise<void> {
    const script: Record<string, Outcome[]> = {};
    for (const id of PORTFOLIOS.recoverable) script[id] = Array(5).fill('server_error');
    for (const id of PORTFOLIOS.auth) script[id] = ['unauthorized'];
    for (const id of PORTFOLIOS.validation) script[id] = ['bad_request'];
    for (const id of PORTFOLIOS.hopeless) script[id] = Array(6).fill('timeout');
    this.simulator = await startSimulator({ seed: 7, profile: { extends: 'healthy', script, timeoutHoldMs: 2_000 } });
    // No per-key or per-downstream circuit: each item's story is exactly its script.
    const shared = { TIME_SCALE, DELAY_TIERS: '100ms,500ms,2s,10s,1m', KEY_CIRCUIT_FAILURES: '0' };
    const ingestor = await this.harness.start(INGESTOR, shared);
    await this.harness.start(PROCESSOR, {
      ...shared,
      WORK_TYPES: reportWorkTypes(this.simulator.url, 400),
      DOWNSTREAMS: JSON.stringify({ reports: { breakerVolumeThreshold: 1_000_000 } }),
      PROCESSOR_CONCURRENCY: '16',
    });
    await this.harness.start(RETRIER, shared);
    this.stats = await this.harness.start(STATS, { API_KEYS: STATS_API_KEYS, ALERT_RULES: 'STUCK_PENDING' });
    this.statsUrl = `http://127.0.0.1:${(this.stats.getHttpServer().address() as { port: number }).port}`;
    const kafka = this.env.kafka();
    this.work = await new TopicReader(kafka, this.serde, this.topic(TOPICS.work), WorkItem, `${this.env.id}-w`).start();
    this.succeeded = await new TopicReader(kafka, this.serde, this.topic(TOPICS.succeeded), WorkSucceeded, `${this.env.id}-s`).start();
    this.abandoned = await new TopicReader(kafka, this.serde, this.topic(TOPICS.abandoned), WorkAbandoned, `${this.env.id}-a`).start();
    const all = Object.values(PORTFOLIOS).flat();
    await request(ingestor.getHttpServer())
      .post('/v1/batches')
      .send({ batchId: 'replay-batch', items: portfolioSubmissions(all, DATE) })
      .expect(202);
    const failing = all.length - PORTFOLIOS.healthy.length;
    await waitFor(() => this.abandoned.events.length >= failing && this.succeeded.events.length >= PORTFOLIOS.healthy.length, {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: `${failing} dead letters and ${PORTFOLIOS.healthy.length} success`,
    });
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.work?.stop(), this.succeeded?.stop(), this.abandoned?.stop()]);
    await this.harness.close();
    await this.simulator?.close();
    await this.env.cleanup();
  }

  /** Runs `workpipe` in-process against this test's stats service (with the operator's key), capturing what it prints. */
  async workpipe(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const exitCode = await runCli(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      env: { STATS_URL: this.statsUrl, API_KEY: KEYS.operator, ...env },
    });
    if (process.env.SHOW_CLI_OUTPUT) {
      process.stdout.write(`$ workpipe ${argv.join(' ')}\n${stdout}${stderr.replace(/^/gm, '[stderr] ')}[exit ${exitCode}]\n\n`);
    }
    return { exitCode, stdout, stderr };
  }

  /** Messages in the work topic right now, from the partitions' watermarks: exact, no waiting for stragglers. */
  async workMessageCount(): Promise<number> {
    const admin = this.env.kafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic(TOPICS.work));
      return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** Replayed work items (attempt 1) of a replay, as read so far. */
  replayedItems(replayId: string): ReadEvent<WorkItem.Value>[] {
    return this.work.events.filter((event) => event.value.replay?.replayId === replayId && event.value.attempt === 1);
  }

  /** Waits until the work topic reader has seen `count` replayed items of the replay. */
  async waitForReplayedItems(replayId: string, count: number): Promise<ReadEvent<WorkItem.Value>[]> {
    return waitFor(() => this.replayedItems(replayId).length >= count && this.replayedItems(replayId), {
      timeoutMs: 30_000,
      description: `${count} replayed items of ${replayId} on the work topic`,
    });
  }

  /** The first dead letter of each item (the original abandonment), by item id. */
  firstDeadLetters(): Map<string, ReadEvent<WorkAbandoned.Value>> {
    const first = new Map<string, ReadEvent<WorkAbandoned.Value>>();
    for (const event of this.abandoned.events) {
      if (!event.value.item.replay && !first.has(event.value.item.itemId)) first.set(event.value.item.itemId, event);
    }
    return first;
  }
}

/** The replay id a run printed (`Replay id: rp-...` on stderr, or `Replaying N as rp-...` on stdout). */
export function replayIdOf(run: CliRun): string {
  const match = /Replay id: (\S+)/.exec(run.stderr) ?? /Replaying \d+ as (\S+)/.exec(run.stdout);
  if (!match) throw new Error(`no replay id in the output:\n${run.stdout}\n${run.stderr}`);
  return match[1] as string;
}
