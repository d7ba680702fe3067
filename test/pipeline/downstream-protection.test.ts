import request from 'supertest';
import { TOPICS, topicName, WorkFailed, WorkSucceeded } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { RedisKeys } from '@workpipe/redis';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { PORTFOLIOS, startSimulator, type SimulatorHandle } from '../../tools/simulator';
import { groupAssignment, waitForMembersWithPartitions } from '../support/consumer-groups';
import { partitionOf } from '../support/key-partition';
import { startPausingDownstream, type PausingDownstream } from '../support/pausing-downstream';
import { PipelineHarness, portfolioSubmissions, reportWorkTypes } from '../support/pipeline-harness';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/** Partitions of the work topic (TestEnv's TOPIC_PARTITIONS). */
const PARTITIONS = 3;

/** Boots an ingestor and `processors` processors on a fresh prefix, with readers on the outcome topics. */
async function pipeline(name: string, downstreamUrl: string, processorEnv: Record<string, string>, processors = 1) {
  const env = new TestEnv(name);
  const harness = new PipelineHarness(env);
  const ingestor = await harness.start(INGESTOR);
  for (let i = 0; i < processors; i++) {
    await harness.start(PROCESSOR, { WORK_TYPES: reportWorkTypes(downstreamUrl, 2000), ...processorEnv });
  }
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  const succeeded = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
  const failed = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.failed), WorkFailed, `${env.id}-f`).start();
  const processorGroup = `${env.topicPrefix}processor`;
  const workTopic = topicName(env.topicPrefix, TOPICS.work);
  return {
    env,
    submit: (portfolioIds: readonly string[]) =>
      request(ingestor.getHttpServer()).post('/v1/batches').send({ items: portfolioSubmissions(portfolioIds) }).expect(202),
    /** Waits until each processor holds partitions of the work topic; the partitions of each, as `groupAssignment` gives them. */
    bothAssigned: () => waitForMembersWithPartitions(env.kafka(), processorGroup, workTopic, processors),
    assignment: () => groupAssignment(env.kafka(), processorGroup, workTopic),
    succeeded,
    failed,
    async close() {
      await Promise.allSettled([succeeded.stop(), failed.stop()]);
      await harness.close();
      await cleanupWithSubjects(env);
    },
  };
}

/** `perMember` portfolios on the partitions of each member of `assignment` (none in `except`), by member. */
function portfoliosByMember(assignment: readonly number[][], perMember: number, except: readonly string[] = []): string[][] {
  return assignment.map((partitions) => {
    const ids = PORTFOLIOS.map((p) => p.portfolioId).filter((id) => !except.includes(id) && partitions.includes(partitionOf(id, PARTITIONS)));
    if (ids.length < perMember) throw new Error(`only ${ids.length} portfolios on partitions ${partitions.join(', ')}`);
    return ids.slice(0, perMember);
  });
}

describe('circuit breaker per downstream', () => {
  let simulator: SimulatorHandle;
  let run: Awaited<ReturnType<typeof pipeline>>;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 1, profile: 'always-server_error' });
    run = await pipeline('breaker', simulator.url, {
      PROCESSOR_CONCURRENCY: '1',
      DOWNSTREAMS: JSON.stringify({
        reports: { breakerVolumeThreshold: 4, breakerErrorThresholdPercent: 50, breakerResetTimeoutMs: 60_000 },
      }),
    });
  });

  afterAll(async () => {
    await run?.close();
    await simulator?.close();
  });

  it('opens after repeated API errors and then fails fast with CIRCUIT_OPEN, without calling the downstream', async () => {
    await run.submit(PORTFOLIOS.slice(0, 12).map((p) => p.portfolioId));
    await waitFor(() => run.failed.events.length >= 12, { timeoutMs: 60_000, description: '12 failures' });
    const types = run.failed.values().map((event) => event.failure.type);
    const calls = simulator.stats().totalCalls;
    expect(types.filter((type) => type === 'API_ERROR')).toHaveLength(calls);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(calls).toBeLessThan(12);
    const open = run.failed.values().filter((event) => event.failure.type === 'CIRCUIT_OPEN');
    expect(open).toHaveLength(12 - calls);
    for (const event of open) {
      expect(event.failure.retryable).toBe(true);
      expect(event.failure.retryAfterMs).toBeGreaterThan(0);
      expect(event.failure.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('rate limit per downstream shared by all processor instances', () => {
  /**
   * The simulator answers 429 beyond 9 calls in a wall-clock second. The processors share
   * 5 calls/s: one window's 5 calls never exceed 9, even when two windows touch one wall-clock
   * second (that needs all 10 calls of two windows a second apart inside one second). A limit
   * per instance would be 2 x 5 = 10/s with both instances busy: over 9, so throttled.
   */
  const SIMULATOR_LIMIT = 9;
  const SHARED_LIMIT = 5;
  const PER_MEMBER = 15;
  let simulator: SimulatorHandle;
  let run: Awaited<ReturnType<typeof pipeline>>;
  let assigned: number[][];

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 1, profile: 'healthy', rateLimitPerSecond: SIMULATOR_LIMIT });
    run = await pipeline(
      'ratelimit',
      simulator.url,
      { PROCESSOR_CONCURRENCY: '8', DOWNSTREAMS: JSON.stringify({ reports: { rateLimitPerSecond: SHARED_LIMIT } }) },
      2,
    );
    // Both instances hold partitions before the burst, so both call the downstream at once.
    assigned = await run.bothAssigned();
  });

  afterAll(async () => {
    await run?.close();
    await simulator?.close();
  });

  it('a burst on the partitions of both instances never trips the downstream limit, and all succeed', async () => {
    const byMember = portfoliosByMember(assigned, PER_MEMBER);
    const all = byMember.flat();
    await run.submit(all);
    await waitFor(() => run.succeeded.events.length + run.failed.events.length >= all.length, {
      timeoutMs: 60_000,
      description: `${all.length} outcomes`,
    });
    // No partition moved meanwhile: each instance called for its own share throughout.
    expect(await run.assignment()).toEqual(assigned);
    expect(run.failed.values().map((event) => event.failure)).toEqual([]);
    expect(run.succeeded.values().map((event) => event.itemId).sort()).toEqual(all.map((id) => `${id}-2026-11-20`).sort());
    const calls = simulator.stats().callsByPortfolio;
    for (const ids of byMember) expect(ids.filter((id) => calls[id] !== 1)).toEqual([]);
    expect(simulator.stats().throttled).toBe(0);
  });

  it('(control) the same burst sent straight at the simulator is throttled', async () => {
    const responses = await Promise.all(
      PORTFOLIOS.slice(0, 24).map((p) => fetch(`${simulator.url}/portfolios/${p.portfolioId}/profitability-report`)),
    );
    expect(responses.filter((response) => response.status === 429).length).toBeGreaterThan(0);
  });
});

describe('a pause the downstream imposes holds every processor instance', () => {
  /** The first answer says the quota is spent until this many seconds later. */
  const RESET_AFTER_SECONDS = 3;
  const PER_MEMBER = 6;
  let downstream: PausingDownstream;
  let run: Awaited<ReturnType<typeof pipeline>>;
  let assigned: number[][];

  beforeAll(async () => {
    downstream = await startPausingDownstream(RESET_AFTER_SECONDS);
    run = await pipeline('pause', downstream.url, { PROCESSOR_CONCURRENCY: '8' }, 2);
    assigned = await run.bothAssigned();
  });

  afterAll(async () => {
    await run?.close();
    await downstream?.close();
  });

  it('after X-RateLimit-Remaining: 0, neither instance calls the downstream before X-RateLimit-Reset', async () => {
    const [first] = portfoliosByMember(assigned, 1)[0] as string[];
    await run.submit([first as string]);
    const resetAtMs = await waitFor(() => downstream.resetAtMs(), { description: 'the first call answered' });
    // The pause is shared through Redis: once it is there, every instance must keep to it.
    const redis = run.env.redis();
    try {
      const pauseKey = new RedisKeys(run.env.redisPrefix).key('ratelimit', 'pause', 'reports');
      await waitFor(async () => (await redis.pttl(pauseKey)) > 0, { intervalMs: 20, description: 'the pause in Redis' });
    } finally {
      redis.disconnect();
    }
    const byMember = portfoliosByMember(assigned, PER_MEMBER, [first as string]);
    await run.submit(byMember.flat());
    // Without this the burst came after the reset and the test would prove nothing.
    expect(Date.now()).toBeLessThan(resetAtMs);

    const total = 1 + byMember.flat().length;
    await waitFor(() => run.succeeded.events.length + run.failed.events.length >= total, { timeoutMs: 60_000, description: `${total} outcomes` });
    expect(await run.assignment()).toEqual(assigned);
    expect(run.failed.values().map((event) => event.failure)).toEqual([]);
    const [firstCall, ...later] = downstream.calls;
    expect(firstCall?.portfolioId).toBe(first);
    expect(later).toHaveLength(total - 1);
    expect(later.filter((call) => call.atMs < resetAtMs).map((call) => ({ ...call, msBeforeReset: resetAtMs - call.atMs }))).toEqual([]);
    // Both instances were held, not only the one that got the answer.
    for (const ids of byMember) expect(ids.filter((id) => !later.some((call) => call.portfolioId === id))).toEqual([]);
  });
});
