#!/usr/bin/env tsx
// `npm run bench:retry-lateness`: how late the retrier really fires delayed retries, on the local stack
// (npm run stack:up), against a plain produce -> consume round trip on the same broker measured in the same run.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadConfig } from '@workpipe/config';
import { formatTier, HEADERS, retryTopicName, TOPICS, topicName, WorkFailed, WorkItem } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde, type OutgoingEvent } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { chooseDelayTier, decide, DEFAULT_MIN_DELAY_MS, resolveRetryPolicy, type RetryPolicy } from '@workpipe/retry-policy';
import { ensureStack } from '../stack';
import { cleanupRun } from './lateness/bench-cleanup';
import { hostileMix, type PlannedRetry } from './lateness/hostile-mix';
import { compileService, removeCompiled, type CompiledService } from '../services/compiled-service';
import { freePort, startServiceProcess, stopService, waitReady, type ServiceProcess } from '../services/service-process';
import { RetryTrace, type FiredRetry, type TierEntry } from './lateness/retry-trace';
import { measureRoundTrip } from './lateness/round-trip-baseline';
import { replayTierRule } from './lateness/tier-rule-replay';
import { formatTable, percentileOfSorted } from './support/figures';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
/** Retries measured. */
const COUNT = env('BENCH_COUNT', 2000);
/** Produce calls they are published in, and the gap between two, in milliseconds. */
const BURSTS = env('BENCH_BURSTS', 10);
const BURST_GAP_MS = env('BENCH_BURST_GAP_MS', 1000);
/** The measured phase stops after this long even if retries are missing, in seconds. */
const DEADLINE_S = env('BENCH_DEADLINE_S', 120);
const DELAY_TIERS = process.env.BENCH_DELAY_TIERS ?? '250ms,1s,5s,30s,1m';
const SEED = env('BENCH_SEED', 7);

/** The failure type of every benchmark event; its policy row makes the delay exactly Retry-After (see `plannedFailure`). */
const FAILURE_TYPE = 'BENCH_DELAY';
const RETRY_POLICY = { [FAILURE_TYPE]: { maxAttempts: 3, baseDelayMs: 1, jitterRatio: 0, maxDelayMs: 3_600_000 } };
/** The policy's floor on every delay, which configuration cannot lower: shorter delays are made by back-dating failedAt. */
const MIN_DELAY_MS = DEFAULT_MIN_DELAY_MS;

const root = resolve(__dirname, '../..');
const runId = randomBytes(3).toString('hex');
const topicPrefix = `bench.${runId}.`;
const redisPrefix = `bench:${runId}:`;
const retrierEnv: Record<string, string> = {
  TOPIC_PREFIX: topicPrefix,
  REDIS_KEY_PREFIX: redisPrefix,
  KAFKA_CLIENT_ID: `bench-retrier-${runId}`,
  DELAY_TIERS,
  RETRY_POLICY: JSON.stringify(RETRY_POLICY),
  TIME_SCALE: '1',
  // The per-key circuit would abandon keys that fail repeatedly, which every benchmark key does.
  KEY_CIRCUIT_FAILURES: '0',
  LOG_LEVEL: 'warn',
};

async function main(): Promise<void> {
  // The local stack, started if none runs (the stack's own endpoints unless the environment names others).
  if (!process.env.KAFKA_BROKERS) {
    const stack = await ensureStack({ log: (line) => console.log(`  ${line}`) });
    Object.assign(retrierEnv, { KAFKA_BROKERS: stack.kafkaBrokers, SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl, REDIS_URL: stack.redisUrl });
  }
  const config = loadConfig('retrier', { ...process.env, ...retrierEnv });
  const tiersMs = config.retry.delayTiersMs;
  const smallestTierMs = tiersMs[0] as number;
  const topics = {
    work: topicName(topicPrefix, TOPICS.work),
    failed: topicName(topicPrefix, TOPICS.failed),
    roundTrip: `${topicPrefix}bench.round-trip`,
  };
  const kafka = new Kafka({ clientId: `bench-${runId}`, brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const serde = new RegistrySerde(config.schemaRegistry);
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const plan = hostileMix({
    count: COUNT,
    bursts: BURSTS,
    keysPerBurst: 40,
    longMs: [20_000, 40_000],
    shortMs: [300, 3_000],
    longShare: 0.4,
    seed: SEED,
  });
  checkPolicyGivesPlannedDelays(plan, resolveRetryPolicy(config.retry.policyOverrides, { timeScale: config.retry.timeScale }));

  console.log(`retry lateness: run ${runId}, topic prefix ${topicPrefix}, Redis prefix ${redisPrefix}`);
  console.log(
    `  ${plan.length} retries in ${BURSTS} bursts ${BURST_GAP_MS} ms apart; delays ${summarizeDelays(plan)}; ` +
      `longest first within each key, keys interleaved; tiers ${tiersMs.map(formatTier).join(',')}; ${config.kafka.partitions} partitions; deadline ${DEADLINE_S} s`,
  );

  let build: CompiledService | undefined;
  let retrier: ServiceProcess | undefined;
  const trace = new RetryTrace(kafka, serde, `${topicPrefix}bench.reader`, topics.work, tiersMs.map((t) => retryTopicName(topicPrefix, t)));
  const { fired } = trace;
  const publisher = new EventPublisher(kafka, serde, logger, { timeoutMs: 15_000 });
  const hardStop = setTimeout(() => {
    process.stderr.write(`retry lateness: hard time limit reached; killing the retrier. Clean up prefix ${topicPrefix} / ${redisPrefix} by hand.\n`);
    retrier?.process.kill('SIGKILL');
    process.exit(2);
  }, (DEADLINE_S + 180) * 1000);
  hardStop.unref();
  let interrupted = false;
  let completed = false;
  process.once('SIGINT', () => {
    interrupted = true;
  });

  try {
    const t0 = Date.now();
    build = compileService(root, 'retrier', runId);
    console.log(`  retrier compiled from the current sources in ${((Date.now() - t0) / 1000).toFixed(1)} s (tsc, decorator metadata on)`);
    retrier = startServiceProcess({
      name: 'retrier',
      entry: build.entry,
      nodeArgs: ['-r', build.preload],
      port: await freePort(),
      env: retrierEnv,
      logFile: join(tmpdir(), `workpipe-bench-retrier-${runId}.log`),
    });
    await waitReady(retrier, 60_000);
    await waitForStableGroups(kafka, [`${topicPrefix}retrier`, `${topicPrefix}retrier.delay`], 60_000);
    console.log(`  one retrier up (pid ${retrier.process.pid}, log ${retrier.logFile}); its consumer groups are stable`);

    await publisher.connect();
    await trace.start();

    // Baseline first, while the retrier idles: the broker as the retrier will find it.
    const sample = await serde.encode(topics.roundTrip, WorkItem, plannedItem({ itemId: 'sample', key: 'key-0-0', delayMs: 0, burst: 0 }));
    const roundTrip = await measureRoundTrip(kafka, {
      topic: topics.roundTrip,
      partitions: config.kafka.partitions,
      count: plan.length,
      bursts: BURSTS,
      burstGapMs: BURST_GAP_MS,
      value: sample,
      timeoutMs: 60_000,
    });

    // Warm-up, not counted: schema registrations and first produce to every topic on the way.
    const warmUp: PlannedRetry[] = [300, 700, 1_500, 2_500, 6_000].map((delayMs, i) => ({
      itemId: `warm-up-${i}`,
      key: `key-0-${i}`,
      delayMs,
      burst: -1,
    }));
    await publishBurst(publisher, topics.failed, warmUp);
    await waitFor(() => warmUp.every((p) => fired.has(p.itemId)) || interrupted, 30_000);

    const start = Date.now();
    const deadline = start + DEADLINE_S * 1000;
    const published = new Map<string, number>();
    let lastProgress = start;
    for (let burst = 0; burst < BURSTS && !interrupted; burst++) {
      const planned = plan.filter((p) => p.burst === burst);
      const publishedAt = await publishBurst(publisher, topics.failed, planned);
      for (const p of planned) published.set(p.itemId, publishedAt);
      if (burst < BURSTS - 1) await sleep(BURST_GAP_MS);
    }
    while (!interrupted && Date.now() < deadline && plan.some((p) => !fired.has(p.itemId))) {
      if (retrier.process.exitCode !== null) throw new Error(`the retrier exited with code ${retrier.process.exitCode}; see ${retrier.logFile}`);
      if (Date.now() - lastProgress >= 10_000) {
        lastProgress = Date.now();
        console.log(`  t+${Math.round((lastProgress - start) / 1000)} s: ${plan.filter((p) => fired.has(p.itemId)).length}/${plan.length} retries fired`);
      }
      await sleep(100);
    }
    console.log(`  machine: ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(2)} at the end of the measured phase`);
    console.log(`  measured phase took ${((Date.now() - start) / 1000).toFixed(1)} s${interrupted ? ' (interrupted)' : ''}`);
    report(plan, trace, published, roundTrip, tiersMs, smallestTierMs);
    completed = !interrupted;
  } finally {
    await Promise.allSettled([trace.stop(), publisher.disconnect()]);
    if (retrier) await stopService(retrier, 20_000);
    const cleanup = await cleanupRun({
      kafka,
      redisUrl: config.redis.url,
      registryUrl: config.schemaRegistry.url,
      topicPrefix,
      redisPrefix,
    }).catch((error: Error) => [`cleanup failed: ${error.message}`]);
    if (build) removeCompiled(build);
    // The retrier's log is kept only when something went wrong.
    if (retrier && completed) rmSync(retrier.logFile, { force: true });
    console.log(`cleanup: ${cleanup.join(', ')}; build folder removed`);
    clearTimeout(hardStop);
  }
}

/** The policy, resolved as the retrier resolves it, must turn each planned event into exactly its planned delay. */
function checkPolicyGivesPlannedDelays(plan: readonly PlannedRetry[], policy: RetryPolicy): void {
  for (const p of plan) {
    const { failure, backdateMs } = plannedFailure(p.delayMs);
    const decision = decide(failure, 1, policy, Math.random);
    if (decision.action !== 'retry' || decision.delayMs - backdateMs !== p.delayMs) {
      throw new Error(`policy gives ${JSON.stringify(decision)} for a planned delay of ${p.delayMs} ms`);
    }
  }
}

/**
 * The delay is `max(MIN_DELAY_MS, retryAfterMs)` with the benchmark's policy row (base 1 ms, no jitter); the
 * retrier makes the due time `failedAt + delay`. A delay under the floor is reached by back-dating `failedAt`,
 * as for a failure event the retrier reads late.
 */
function plannedFailure(delayMs: number): { failure: WorkFailed.Value['failure']; backdateMs: number } {
  return {
    failure: { type: FAILURE_TYPE, message: 'benchmark delay', retryable: true, retryAfterMs: Math.max(delayMs, MIN_DELAY_MS) },
    backdateMs: Math.max(0, MIN_DELAY_MS - delayMs),
  };
}

function plannedItem(p: PlannedRetry): WorkItem.Value {
  return {
    itemId: p.itemId,
    key: p.key,
    type: 'bench',
    payload: { delayMs: p.delayMs },
    attempt: 1,
    createdAt: new Date().toISOString(),
    correlationId: `bench-${runId}`,
    history: [],
  };
}

/** Publishes one burst of failed attempts in one produce call; returns the time their delays count from. */
async function publishBurst(publisher: EventPublisher, topic: string, planned: readonly PlannedRetry[]): Promise<number> {
  const now = Date.now();
  const events: OutgoingEvent<typeof WorkFailed.Schema>[] = planned.map((p) => {
    const { failure, backdateMs } = plannedFailure(p.delayMs);
    return {
      key: p.key,
      value: {
        item: plannedItem(p),
        failure,
        failedAt: new Date(now - backdateMs).toISOString(),
        durationMs: 1,
        source: { topic: 'bench', partition: 0, offset: '0' },
      },
      headers: { [HEADERS.itemId]: p.itemId },
    };
  });
  await publisher.publish(topic, WorkFailed, events);
  return now;
}

async function waitForStableGroups(kafka: Kafka, groupIds: string[], timeoutMs: number): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { groups } = await admin.describeGroups(groupIds);
      if (groups.every((g) => g.state === 'Stable' && g.members.length > 0)) return;
      if (Date.now() > deadline) throw new Error(`consumer groups not stable: ${groups.map((g) => `${g.groupId} ${g.state}`).join(', ')}`);
      await sleep(250);
    }
  } finally {
    await admin.disconnect();
  }
}

function report(
  plan: readonly PlannedRetry[],
  trace: RetryTrace,
  published: ReadonlyMap<string, number>,
  roundTrip: number[],
  tiersMs: readonly number[],
  smallestTierMs: number,
): void {
  const { fired, tierEntries } = trace;
  const measured = plan.filter((p) => fired.has(p.itemId));
  const firedOf = (p: PlannedRetry): FiredRetry => fired.get(p.itemId) as FiredRetry;
  const lateness = (p: PlannedRetry): number => firedOf(p).timestamp - firedOf(p).dueAt;
  const publishedAt = (p: PlannedRetry): number => published.get(p.itemId) as number;
  const dueAsPlanned = measured.filter((p) => firedOf(p).dueAt === publishedAt(p) + p.delayMs).length;
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  const all = sorted(measured.map(lateness));
  const base = sorted([...roundTrip]);
  const tierOf = (p: PlannedRetry): number => chooseDelayTier(p.delayMs, tiersMs);

  const row = (label: string, values: readonly number[]): string[] =>
    values.length === 0
      ? [label, '0', '-', '-', '-', '-', '-']
      : [label, String(values.length), String(values[0]), ...[50, 90, 99].map((q) => String(percentileOfSorted(values, q))), String(values.at(-1))];
  const tierRows = [...new Set(measured.map(tierOf))]
    .sort((a, b) => a - b)
    .map((tier) => {
      const group = measured.filter((p) => tierOf(p) === tier);
      const delays = group.map((p) => p.delayMs);
      return row(`  delay ${fmtS(Math.min(...delays))}-${fmtS(Math.max(...delays))}, enters ${formatTier(tier)}`, sorted(group.map(lateness)));
    });

  console.log('');
  console.log(
    formatTable(
      ['milliseconds', 'count', 'min', 'p50', 'p90', 'p99', 'max'],
      [row('retry lateness (work-topic timestamp - x-due-at)', all), ...tierRows, row('BASELINE produce -> consume round trip', base)],
    ),
  );
  console.log('');
  const early = all.filter((l) => l < 0).length;
  console.log(`never early: min lateness ${all[0] ?? '-'} ms, ${early} of ${all.length} fired before due -> ${early === 0 && all.length > 0 ? 'OK' : 'FAILED'}`);
  console.log(`due times as planned (x-due-at = failure published + planned delay): ${dueAsPlanned} of ${measured.length}`);
  console.log(`fired: ${measured.length} of ${plan.length}, missing ${plan.length - measured.length}, duplicates ${trace.duplicates}`);
  if (all.length > 0 && base.length > 0) {
    const p99Excess = percentileOfSorted(all, 99) - percentileOfSorted(base, 99);
    const maxExcess = (all.at(-1) as number) - (base.at(-1) as number);
    const verdict = (excess: number): string => (excess <= smallestTierMs ? 'within' : 'ABOVE');
    console.log(
      `lateness p99 - baseline p99 = ${p99Excess} ms; expected bound: the smallest tier, ${smallestTierMs} ms (plus consume/produce time) -> ${verdict(p99Excess)} the bound`,
    );
    console.log(`lateness max - baseline max = ${maxExcess} ms; same bound ${smallestTierMs} ms -> ${verdict(maxExcess)} the bound`);
  }

  // Where the time went, from the delay-tier topics: how long scheduling took, and how often retries hopped.
  const traced = measured.filter((p) => (tierEntries.get(p.itemId)?.length ?? 0) > 0);
  const entriesOf = (p: PlannedRetry): TierEntry[] => tierEntries.get(p.itemId) as TierEntry[];
  const schedulingLag = sorted(traced.map((p) => (entriesOf(p)[0] as TierEntry).timestamp - publishedAt(p)));
  const dueBeforeScheduled = traced.filter((p) => (entriesOf(p)[0] as TierEntry).timestamp > firedOf(p).dueAt);
  const onTime = traced.filter((p) => (entriesOf(p)[0] as TierEntry).timestamp <= firedOf(p).dueAt);
  const hops = traced.map((p) => entriesOf(p).length - 1);
  const tierOfTopic = (topic: string): number => tiersMs.find((t) => topic.endsWith(`.${formatTier(t)}`)) as number;
  const ruleAlone = sorted(
    replayTierRule(
      traced.map((p) => {
        const first = entriesOf(p)[0] as TierEntry;
        return { tierMs: tierOfTopic(first.topic), partition: first.partition, at: first.timestamp, sequence: Number(first.offset), dueAt: firedOf(p).dueAt };
      }),
      tiersMs,
    ),
  );
  console.log('');
  console.log('diagnosis, from the delay-tier topics:');
  console.log(
    formatTable(
      ['milliseconds', 'count', 'min', 'p50', 'p90', 'p99', 'max'],
      [
        row('scheduling lag (first delay-tier timestamp - failure published)', schedulingLag),
        row('lateness of retries already due when scheduled', sorted(dueBeforeScheduled.map(lateness))),
        row('lateness of retries scheduled before due', sorted(onTime.map(lateness))),
        row('the release rule alone: same arrivals replayed at zero cost', ruleAlone),
      ],
    ),
  );
  console.log(
    `hops between tiers per retry: mean ${(hops.reduce((a, b) => a + b, 0) / Math.max(1, hops.length)).toFixed(2)}, max ${Math.max(0, ...hops)}; ` +
      `traced ${traced.length} of ${measured.length}`,
  );
  const bound = smallestTierMs + percentileOfSorted(base, 99);
  const over = traced.filter((p) => lateness(p) > bound);
  console.log(
    `late by more than the smallest tier + baseline p99 (${bound} ms): ${over.length} retries, ` +
      `${over.filter((p) => entriesOf(p).length === 1).length} of them never hopped (held in the tier they entered until fired)`,
  );
  const latest = [...measured].sort((a, b) => lateness(b) - lateness(a)).slice(0, 5);
  console.log(
    `latest: ${latest
      .map((p) => {
        const path = (tierEntries.get(p.itemId) ?? []).map((e) => `${e.topic.slice(e.topic.lastIndexOf('.') + 1)}/p${e.partition}@+${e.timestamp - publishedAt(p)}`).join(' > ');
        return `${lateness(p)} ms late (delay ${p.delayMs} ms, key ${p.key}, ${path} > fired @+${firedOf(p).timestamp - publishedAt(p)})`;
      })
      .join('; ')}`,
  );
}

function summarizeDelays(plan: readonly PlannedRetry[]): string {
  const long = plan.filter((p) => p.delayMs >= 10_000).length;
  return `${plan.length - long} short (0.3-3 s), ${long} long (20-40 s)`;
}

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`warm-up retries did not fire within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: Error) => {
  process.stderr.write(`retry lateness: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
