/**
 * `npm run demo`: the main job on the local default stack. Builds, brings up the
 * stack (Kafka, registry, Redis), the flaky downstream simulator and the four
 * services, submits the 104-portfolio batch, shows live progress and ends with
 * the summary. On a terminal the services keep running for exploration until
 * Ctrl-C; otherwise (CI, pipes) everything stops after the summary.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StatsView } from '@workpipe/stats-model';
import { watchBatch } from '../../apps/cli/src/watch/batch-watcher';
import { ProgressDisplay } from '../../apps/cli/src/watch/progress-display';
import { PORTFOLIOS, startSimulator } from '../simulator';
import { ensureStack } from '../stack';
import { formatDemoSummary } from './demo-summary';
import { startServices, stopServices, waitUntilReady } from './service-processes';

const ROOT = resolve(__dirname, '../..');
const SIMULATOR_PORT = 4010;
const SEED = 42;
/** 60 s of API_ERROR backoff become 600 ms: the whole batch takes about a minute. */
const TIME_SCALE = '0.01';
const STATS_URL = 'http://127.0.0.1:3003';
const INGESTOR_URL = 'http://127.0.0.1:3000';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  say('workpipe demo: 104 synthetic profitability reports against a downstream that fails ~43% of first calls\n');

  say('[1/5] Building the services (nest build)');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('the build failed (see above)');

  say('[2/5] Starting the local stack (Kafka, Schema Registry, Redis); the first run downloads the jars');
  const stack = await ensureStack({ log: (line) => say(`      ${line}`) });
  say(`      ${stack.versions.kafka}, ${stack.versions.schemaRegistry}, ${stack.versions.redis}`);

  say(`[3/5] Starting the downstream simulator on 127.0.0.1:${SIMULATOR_PORT} (seed ${SEED}, profile "seed")`);
  const simulator = await startSimulator({ port: SIMULATOR_PORT, seed: SEED, profile: 'seed' });

  const logDir = join(stack.stackDir, 'logs', 'demo');
  mkdirSync(logDir, { recursive: true });
  say(`[4/5] Starting ingestor, processor, retrier and stats (TIME_SCALE=${TIME_SCALE}; logs in ${logDir})`);
  const logs = new Map<string, NodeJS.WritableStream>();
  const services = startServices({
    root: ROOT,
    env: {
      KAFKA_BROKERS: stack.kafkaBrokers,
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      REDIS_URL: stack.redisUrl,
      TIME_SCALE,
      DELAY_TIERS: '250ms,1s,5s,30s,1m,5m,15m,1h',
      PROCESSOR_CONCURRENCY: '8',
      WORK_TYPES: JSON.stringify({
        'portfolio-report': {
          handler: 'http',
          url: `${simulator.url}/portfolios/{portfolioId}/profitability-report?date={date}`,
          timeoutMs: 2000,
          downstream: 'reports-api',
        },
      }),
    },
    onLine: (service, line) => {
      let log = logs.get(service);
      if (!log) logs.set(service, (log = createWriteStream(join(logDir, `${service}.log`), { flags: 'a' })));
      log.write(`${line}\n`);
    },
  });
  const shutdown = async (): Promise<void> => {
    await stopServices(services, 20_000);
    await simulator.close();
  };
  try {
    say('      waiting for each service to answer /health (topics, schemas, consumer groups)...');
    const startedAt = Date.now();
    await Promise.all(
      services.map(async (service) => {
        await waitUntilReady(service, 90_000);
        say(`      ${service.name.padEnd(9)} ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s  ${service.url}  (/health, /docs, /metrics)`);
      }),
    );

    const batchId = `demo-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}`;
    say(`[5/5] Submitting the ${PORTFOLIOS.length} portfolios as batch ${batchId}`);
    await submit(batchId);
    const display = new ProgressDisplay(process.stderr, Date.now);
    await watchBatch({
      statsUrl: STATS_URL,
      batchId,
      expected: PORTFOLIOS.length,
      onProgress: (progress) => display.update(progress),
    }).finally(() => display.stop());
    const view = (await (await fetch(`${STATS_URL}/v1/batches/${encodeURIComponent(batchId)}`)).json()) as StatsView;
    process.stdout.write(formatDemoSummary({ batchId, view, goal: 0.9, statsUrl: STATS_URL, elapsedMs: Date.now() - started }));
    const interactive = Boolean(process.stdin.isTTY) && !process.env.CI;
    if (!interactive) {
      say('Not a terminal: stopping now. Run `npm run demo` in a terminal to keep the services up and try the commands above.');
    } else {
      say('The services keep running so you can try the commands above. Ctrl-C stops them.');
      await new Promise<void>((resolveSignal) => {
        process.once('SIGINT', resolveSignal);
        process.once('SIGTERM', resolveSignal);
      });
    }
  } finally {
    say('Stopping the services (the stack keeps running: npm run stack:down stops it)');
    await shutdown();
  }
}

async function submit(batchId: string): Promise<void> {
  const items = PORTFOLIOS.map(({ portfolioId }) => ({
    itemId: `${portfolioId}-${batchId}`,
    key: portfolioId,
    type: 'portfolio-report',
    payload: { portfolioId, date: '2026-11-20' },
  }));
  const response = await fetch(`${INGESTOR_URL}/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ batchId, items }),
  });
  const body = (await response.json()) as { counts?: Record<string, number>; message?: string };
  if (response.status !== 202) throw new Error(`the ingestor answered ${response.status}: ${body.message ?? JSON.stringify(body)}`);
  say(`      accepted ${body.counts?.accepted}, rejected ${body.counts?.rejected}, duplicates ${body.counts?.duplicates}`);
}


main().catch((error: unknown) => {
  process.stderr.write(`\ndemo failed: ${(error as Error).message}\n`);
  process.exit(1);
});
