#!/usr/bin/env tsx
// `npm run bench:throughput`: how fast the whole pipeline moves items, and what it costs, against the
// broker's own speed in the same run (see tools/bench/README.md).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { ensureStack } from '../stack';
import { cleanupRun } from './lateness/bench-cleanup';
import { formatTable } from './support/figures';
import { plainLoopRate } from './throughput/plain-loop';
import { pidsMatching, ProcessSet } from './throughput/process-usage';
import { serviceMemoryEnv } from '../services/service-memory';
import { startServiceProcess, stopService, waitReady, type ServiceProcess } from '../services/service-process';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const COUNT = env('BENCH_COUNT', 20_000);
const BATCH = 1000;
const IN_FLIGHT_BATCHES = env('BENCH_IN_FLIGHT', 4);
const IDLE_S = env('BENCH_IDLE_S', 30);
const DEADLINE_S = env('BENCH_DEADLINE_S', 600);
/** Repository whose `dist/` is run: this one by default; another checkout to measure an earlier version. */
const ROOT = resolve(process.env.BENCH_ROOT ?? join(__dirname, '../..'));
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'instant,failures,latency-1,latency-2').split(',').map((s) => s.trim());

interface Scenario {
  name: string;
  count: number;
  processors: number;
  latencyMs: number;
  failRate: number;
  env: Record<string, string>;
  idle: boolean;
}

const ALL: Record<string, Scenario> = {
  instant: { name: 'instant downstream, no failures', count: COUNT, processors: 1, latencyMs: 0, failRate: 0, env: {}, idle: true },
  failures: {
    name: '30% of first attempts fail (500), TIME_SCALE 0.001',
    count: COUNT,
    processors: 1,
    latencyMs: 0,
    failRate: 0.3,
    env: { TIME_SCALE: '0.001' },
    idle: false,
  },
  'latency-1': { name: '20 ms downstream, 1 processor', count: Math.min(COUNT, 10_000), processors: 1, latencyMs: 20, failRate: 0, env: {}, idle: false },
  'latency-2': { name: '20 ms downstream, 2 processors', count: Math.min(COUNT, 10_000), processors: 2, latencyMs: 20, failRate: 0, env: {}, idle: false },
  backlog: { name: 'instant downstream, 100k backlog', count: 100_000, processors: 1, latencyMs: 0, failRate: 0, env: {}, idle: false },
};

interface Figures {
  scenario: string;
  count: number;
  ingestPerSecond: number;
  endToEndPerSecond: number;
  cpuMsPerItem: Map<string, number>;
  peakRssMb: Map<string, number>;
  idlePercent?: number;
  /** Idle CPU of each process, in percent of one core. */
  idleByProcess?: Map<string, number>;
  readyMs: Map<string, number>;
  lost: number;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const startedAt = Date.now();
  say(`bench:throughput: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, root ${ROOT}`);
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    say('building (nest build)...');
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the build failed');
  }
  const stack = await ensureStack({ log: (line) => say(`  ${line}`) });
  say(`stack: ${stack.versions.kafka}, ${stack.versions.schemaRegistry}, ${stack.versions.redis}`);
  const brokers = stack.kafkaBrokers.split(',');
  const infrastructure = new Map<string, number>();
  const kafkaPid = pidsMatching('kafka.Kafka')[0];
  const redisPid = pidsMatching('redis-server')[0];
  const registryPid = pidsMatching('apicurio')[0] ?? pidsMatching('schema-registry')[0];
  if (kafkaPid) infrastructure.set('kafka broker', kafkaPid);
  if (redisPid) infrastructure.set('redis', redisPid);
  if (registryPid) infrastructure.set('registry', registryPid);

  const results: Figures[] = [];
  for (const key of SCENARIOS) {
    const scenario = ALL[key];
    if (!scenario) throw new Error(`unknown scenario ${key} (known: ${Object.keys(ALL).join(', ')})`);
    results.push(await runScenario(scenario, stack, infrastructure));
  }

  say('\nbaseline: a plain kafkajs consume -> produce loop (eachBatch, one send per batch), same broker, same run');
  const plainPrefix = `bench.${randomBytes(3).toString('hex')}.`;
  const plain = await plainLoopRate(brokers, plainPrefix, COUNT, 600);
  say(`  ${Math.round(plain)} msg/s over ${COUNT} messages of 600 bytes`);

  report(results, plain);
  say(`\ndone in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}

async function runScenario(scenario: Scenario, stack: Awaited<ReturnType<typeof ensureStack>>, infrastructure: Map<string, number>): Promise<Figures> {
  const runId = randomBytes(3).toString('hex');
  const topicPrefix = `bench.${runId}.`;
  const redisPrefix = `bench:${runId}:`;
  say(`\n== ${scenario.name}: ${scenario.count} items (run ${runId})`);
  const downstream = await startDownstream(scenario);
  const common: Record<string, string> = {
    KAFKA_BROKERS: stack.kafkaBrokers,
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    REDIS_URL: stack.redisUrl,
    TOPIC_PREFIX: topicPrefix,
    REDIS_KEY_PREFIX: redisPrefix,
    WORK_TYPES: JSON.stringify({
      'bench-item': { handler: 'http', url: `${downstream.url}/items/{id}`, timeoutMs: 5_000, downstream: 'bench' },
    }),
    // The per-key circuit would isolate the keys of the failure scenario; it is not what is measured.
    KEY_CIRCUIT_FAILURES: scenario.failRate > 0 ? '0' : '5',
    ...scenario.env,
  };
  const basePort = 13_000 + Math.floor(Math.random() * 1000) * 10;
  const launches: { app: string; name: string; port: number; env: Record<string, string> }[] = [
    { app: 'ingestor', name: 'ingestor', port: basePort, env: common },
    ...Array.from({ length: scenario.processors }, (_, i) => ({
      app: 'processor',
      name: scenario.processors === 1 ? 'processor' : `processor-${i + 1}`,
      port: basePort + 1 + i,
      env: { ...common, KAFKA_CLIENT_ID: `bench-processor-${i + 1}` },
    })),
    { app: 'retrier', name: 'retrier', port: basePort + 5, env: common },
    { app: 'stats', name: 'stats', port: basePort + 6, env: common },
  ];
  const logDir = join(ROOT, '.stack', 'logs', `bench-${runId}`);
  const services = launches.map((launch) =>
    startServiceProcess({
      name: launch.name,
      entry: join(ROOT, 'dist/apps', launch.app, 'src/main.js'),
      // BENCH_NODE_OPTIONS_PROCESSOR='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles one kind of service.
      nodeArgs: (process.env[`BENCH_NODE_OPTIONS_${launch.app.toUpperCase()}`] ?? '').split(' ').filter(Boolean),
      port: launch.port,
      // As the services ship (the stats service's memory bounds), so peak RSS is what users get.
      env: { ...serviceMemoryEnv(launch.app), ...launch.env },
      logFile: join(logDir, `${launch.name}.log`),
      cwd: ROOT,
    }),
  );
  const readyMs = new Map<string, number>();
  try {
    await Promise.all(services.map(async (service) => readyMs.set(service.name, await waitReady(service, 120_000))));
    say(`  ready: ${[...readyMs].map(([name, ms]) => `${name} ${ms} ms`).join(', ')}`);
    const processes = new ProcessSet(
      new Map([...services.map((service): [string, number] => [service.name, service.process.pid as number]), ...infrastructure, ['downstream', downstream.process.pid as number]]),
    );
    const ingestor = services.find((service) => service.name === 'ingestor') as ServiceProcess;
    const stats = services.find((service) => service.name === 'stats') as ServiceProcess;

    processes.mark();
    processes.sampleMemory();
    const submitStarted = Date.now();
    await submitAll(ingestor.url, runId, scenario.count);
    const ingestMs = Date.now() - submitStarted;
    say(`  ingested ${scenario.count} in ${ingestMs} ms`);
    const finished = await waitFinished(stats.url, scenario.count);
    const e2eMs = finished.at - submitStarted;
    const cpu = processes.cpuSinceMark();
    const peaks = processes.stopSampling();
    say(`  finished: ${finished.succeeded} succeeded, ${finished.abandoned} abandoned in ${e2eMs} ms`);

    let idlePercent: number | undefined;
    let idleByProcess: Map<string, number> | undefined;
    if (scenario.idle && IDLE_S > 0) {
      say(`  measuring idle CPU over ${IDLE_S} s...`);
      processes.mark();
      await new Promise((resolveIdle) => setTimeout(resolveIdle, IDLE_S * 1000));
      const idle = processes.cpuSinceMark();
      idleByProcess = new Map([...idle].map(([name, ms]) => [name, (100 * ms) / (IDLE_S * 1000)]));
      const pipeline = [...idle].filter(([name]) => name !== 'downstream').reduce((sum, [, ms]) => sum + ms, 0);
      idlePercent = (100 * pipeline) / (IDLE_S * 1000 * cpus().length);
    }
    return {
      scenario: scenario.name,
      count: scenario.count,
      ingestPerSecond: (scenario.count * 1000) / ingestMs,
      endToEndPerSecond: (scenario.count * 1000) / e2eMs,
      cpuMsPerItem: new Map([...cpu].map(([name, ms]) => [name, ms / scenario.count])),
      peakRssMb: peaks,
      idlePercent,
      idleByProcess,
      readyMs,
      lost: scenario.count - finished.succeeded - finished.abandoned,
    };
  } finally {
    await Promise.all(services.map((service) => stopService(service)));
    downstream.process.kill('SIGTERM');
    const kafka = new Kafka({ clientId: `bench-cleanup-${runId}`, brokers: stack.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    await cleanupRun({ kafka, redisUrl: stack.redisUrl, registryUrl: stack.schemaRegistryUrl, topicPrefix, redisPrefix }).catch((error: Error) =>
      say(`  cleanup failed: ${error.message}`),
    );
  }
}

async function startDownstream(scenario: Scenario): Promise<{ url: string; process: ChildProcess }> {
  // `node --import tsx`, not the tsx CLI (which runs the script in a child process whose CPU would go uncounted).
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'throughput/downstream-server.ts')], {
    env: { ...process.env, BENCH_LATENCY_MS: String(scenario.latencyMs), BENCH_FAIL_RATE: String(scenario.failRate), BENCH_DOWNSTREAM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^listening (\d+)/.exec(line);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the downstream exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

async function submitAll(ingestorUrl: string, runId: string, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      next += BATCH;
      const items = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => {
        const n = start + i;
        return { itemId: `b-${runId}-${n}`, key: `k-${n % 1000}`, type: 'bench-item', payload: { id: `i-${runId}-${n}`, n } };
      });
      const response = await fetch(`${ingestorUrl}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ batchId: `bench-${runId}-${start / BATCH}`, items }),
      });
      if (response.status !== 202) throw new Error(`the ingestor answered ${response.status}: ${await response.text()}`);
      const body = (await response.json()) as { counts: { accepted: number } };
      if (body.counts.accepted !== items.length) throw new Error(`only ${body.counts.accepted} of ${items.length} accepted`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT_BATCHES }, worker));
}

async function waitFinished(statsUrl: string, count: number): Promise<{ at: number; succeeded: number; abandoned: number }> {
  const deadline = Date.now() + DEADLINE_S * 1000;
  let last = { succeeded: 0, abandoned: 0 };
  const started = Date.now();
  const timeline: string[] = [];
  while (Date.now() < deadline) {
    try {
      const view = (await (await fetch(`${statsUrl}/v1/stats?minutes=1`)).json()) as { items: { succeeded: number; abandoned: number } };
      last = { succeeded: view.items.succeeded, abandoned: view.items.abandoned };
      if (process.env.BENCH_TIMELINE === '1') timeline.push(`${((Date.now() - started) / 1000).toFixed(1)}s:${last.succeeded}`);
      if (last.succeeded + last.abandoned >= count) {
        if (timeline.length > 0) say(`  stats timeline (time since the first batch was answered: succeeded) ${timeline.join(' ')}`);
        return { at: Date.now(), ...last };
      }
    } catch {
      // the stats service is busy; ask again
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  say(`  not finished within ${DEADLINE_S} s: ${last.succeeded} succeeded, ${last.abandoned} abandoned of ${count}`);
  return { at: Date.now(), ...last };
}

function report(results: readonly Figures[], plain: number): void {
  say('\n== figures');
  say(
    formatTable(
      ['scenario', 'items', 'ingest/s', 'end-to-end/s', 'vs plain loop', 'CPU ms/item', 'lost'],
      results.map((r) => {
        const pipelineCpu = [...r.cpuMsPerItem].filter(([name]) => name !== 'downstream').reduce((sum, [, ms]) => sum + ms, 0);
        return [r.scenario, String(r.count), r.ingestPerSecond.toFixed(0), r.endToEndPerSecond.toFixed(0), `${((100 * r.endToEndPerSecond) / plain).toFixed(1)}%`, pipelineCpu.toFixed(3), String(r.lost)];
      }),
    ),
  );
  for (const r of results) {
    say(`\n${r.scenario}: CPU ms per item and peak RSS by process${r.idlePercent === undefined ? '' : `; idle CPU of the set ${r.idlePercent.toFixed(2)}% of the machine over ${IDLE_S} s`}`);
    say(
      formatTable(
        ['process', 'CPU ms/item', 'peak RSS MB', 'idle CPU % of a core'],
        [...r.cpuMsPerItem].map(([name, ms]) => [
          name,
          ms.toFixed(3),
          (r.peakRssMb.get(name) ?? 0).toFixed(0),
          r.idleByProcess ? (r.idleByProcess.get(name) ?? 0).toFixed(2) : '',
        ]),
      ),
    );
  }
  const one = results.find((r) => r.scenario.includes('1 processor'));
  const two = results.find((r) => r.scenario.includes('2 processors'));
  if (one && two) say(`\n2 processors / 1 processor on the 20 ms downstream: ${(two.endToEndPerSecond / one.endToEndPerSecond).toFixed(2)}x`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:throughput failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
