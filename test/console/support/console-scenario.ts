import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { INGESTOR } from '../../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../../apps/stats/src/stats.service-definition';
import { startSimulator, type Outcome, type SimulatorHandle } from '../../../tools/simulator';
import { PipelineHarness, portfolioSubmissions, reportWorkTypes } from '../../support/pipeline-harness';
import { TestEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait-for';

const ROOT = join(__dirname, '..', '..', '..');

/** API keys of the stats service: one that may replay, one that may only read. */
export const KEYS = { operator: 'console-operator-key-01', reader: 'console-reader-key-01' } as const;

/** 60 s of API_ERROR backoff become 300 ms: a whole 5-attempt history takes a few seconds. */
const TIME_SCALE = '0.005';

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `PF-${String(from + i).padStart(4, '0')}`);

/**
 * The finished batch's portfolios and what the simulator answers them, call by call (then ok):
 * 6 abandoned after 5 API_ERRORs (a replay recovers them), one AUTHENTICATION and one VALIDATION
 * abandoned at once, 4 succeeding on attempt 2, 2 on attempt 3, and 26 at once.
 */
export const FINISHED = {
  batchId: 'console-finished',
  apiErrors: range(1, 6),
  unauthorized: ['PF-0007'],
  invalid: ['PF-0008'],
  secondAttempt: range(9, 12),
  thirdAttempt: range(13, 14),
  all: range(1, 40),
} as const;

/** A batch submitted while the page is open, each call slowed to about 1.5 s. */
export const LIVE = { batchId: 'console-live', all: range(41, 80) } as const;

export interface BatchNumbers {
  items: { submitted: number; pending: number; succeeded: number; abandoned: number };
  [field: string]: unknown;
}

/**
 * The whole pipeline (ingestor, processor, retrier, and stats with API keys, which serves the
 * console) against the simulator, in-process on the real stack, with the console built as
 * `npm run build` builds it.
 */
export class ConsoleScenario {
  readonly env = new TestEnv('console');
  readonly harness = new PipelineHarness(this.env);
  simulator!: SimulatorHandle;
  stats!: INestApplication;
  ingestor!: INestApplication;
  /** Base URL of the stats service, e.g. `http://127.0.0.1:41234`. */
  statsUrl!: string;

  async start(): Promise<void> {
    buildConsole();
    const script: Record<string, Outcome[]> = {};
    for (const id of FINISHED.apiErrors) script[id] = Array(5).fill('server_error');
    for (const id of FINISHED.unauthorized) script[id] = ['unauthorized'];
    for (const id of FINISHED.invalid) script[id] = ['bad_request'];
    for (const id of FINISHED.secondAttempt) script[id] = ['server_error'];
    for (const id of FINISHED.thirdAttempt) script[id] = ['server_error', 'server_error'];
    this.simulator = await startSimulator({ seed: 11, profile: { extends: 'healthy', script, latencyMs: [5, 20] } });
    const shared = { TIME_SCALE, DELAY_TIERS: '100ms,500ms,2s,10s,1m', KEY_CIRCUIT_FAILURES: '0' };
    this.ingestor = await this.harness.start(INGESTOR, shared);
    await this.harness.start(PROCESSOR, {
      ...shared,
      WORK_TYPES: reportWorkTypes(this.simulator.url, 5_000),
      DOWNSTREAMS: JSON.stringify({ reports: { breakerVolumeThreshold: 1_000_000 } }),
      PROCESSOR_CONCURRENCY: '8',
    });
    await this.harness.start(RETRIER, shared);
    // More than one failure standing raises ACCUMULATED_FAILURES, and it stays raised (2 abandoned at the end): the overview has an alert to show.
    this.stats = await this.harness.start(STATS, { API_KEYS: `${KEYS.operator}:operate+read,${KEYS.reader}:read`, ALERT_FAILURES_ABOVE: '1' });
    this.statsUrl = `http://127.0.0.1:${(this.stats.getHttpServer().address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    await this.harness.close();
    await this.simulator?.close();
    await this.env.cleanup();
  }

  async submit(batchId: string, portfolioIds: readonly string[]): Promise<void> {
    await request(this.ingestor.getHttpServer()).post('/v1/batches').send({ batchId, items: portfolioSubmissions(portfolioIds) }).expect(202);
  }

  /** `GET` on the stats API with the reader's key. */
  async read<T = unknown>(path: string): Promise<T> {
    const response = await request(this.stats.getHttpServer()).get(path).set('x-api-key', KEYS.reader).expect(200);
    return response.body as T;
  }

  /** `GET` as text (the CSV). */
  async readText(path: string): Promise<string> {
    const response = await request(this.stats.getHttpServer()).get(path).set('x-api-key', KEYS.reader).buffer(true).expect(200);
    return response.text;
  }

  /** Waits until the stats service has counted every item of the batch and none is pending. */
  async finished(batchId: string, items: number, timeoutMs = 90_000): Promise<BatchNumbers> {
    return waitFor(
      async () => {
        const response = await request(this.stats.getHttpServer()).get(`/v1/batches/${batchId}`).set('x-api-key', KEYS.reader);
        const body = response.body as BatchNumbers;
        return response.status === 200 && body.items.submitted === items && body.items.pending === 0 && body;
      },
      { timeoutMs, intervalMs: 250, description: `batch ${batchId} finished (${items} items)` },
    );
  }
}

/** `vite build` as `npm run build` runs it, so the pages tested are the sources' (about 2 s). */
function buildConsole(): void {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  if (!existsSync(vite)) throw new Error('vite is not installed: run npm ci');
  execFileSync(vite, ['build', '--logLevel', 'warn', '-c', join(ROOT, 'apps/console/vite.config.mts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
