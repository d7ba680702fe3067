import request from 'supertest';
import { TOPICS, topicName, WorkFailed, WorkSucceeded } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { PORTFOLIOS, startSimulator, type SimulatorHandle } from '../../tools/simulator';
import { PipelineHarness, portfolioSubmissions, reportWorkTypes } from '../support/pipeline-harness';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/** Boots an ingestor and `processors` processors on a fresh prefix, with readers on the outcome topics. */
async function pipeline(name: string, simulator: SimulatorHandle, processorEnv: Record<string, string>, processors = 1) {
  const env = new TestEnv(name);
  const harness = new PipelineHarness(env);
  const ingestor = await harness.start(INGESTOR);
  for (let i = 0; i < processors; i++) {
    await harness.start(PROCESSOR, { WORK_TYPES: reportWorkTypes(simulator.url, 2000), ...processorEnv });
  }
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  const succeeded = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
  const failed = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.failed), WorkFailed, `${env.id}-f`).start();
  return {
    submit: (count: number) =>
      request(ingestor.getHttpServer())
        .post('/v1/batches')
        .send({ items: portfolioSubmissions(PORTFOLIOS.slice(0, count).map((p) => p.portfolioId)) })
        .expect(202),
    succeeded,
    failed,
    async close() {
      await Promise.allSettled([succeeded.stop(), failed.stop()]);
      await harness.close();
      await env.cleanup();
    },
  };
}

describe('circuit breaker per downstream', () => {
  let simulator: SimulatorHandle;
  let run: Awaited<ReturnType<typeof pipeline>>;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 1, profile: 'always-server_error' });
    run = await pipeline('breaker', simulator, {
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
    await run.submit(12);
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
  let simulator: SimulatorHandle;
  let run: Awaited<ReturnType<typeof pipeline>>;

  beforeAll(async () => {
    // The simulator answers 429 beyond 10 calls/s; the processors together keep to 4/s.
    simulator = await startSimulator({ seed: 1, profile: 'healthy', rateLimitPerSecond: 10 });
    run = await pipeline(
      'ratelimit',
      simulator,
      { PROCESSOR_CONCURRENCY: '8', DOWNSTREAMS: JSON.stringify({ reports: { rateLimitPerSecond: 4 } }) },
      2,
    );
  });

  afterAll(async () => {
    await run?.close();
    await simulator?.close();
  });

  it('a burst of 24 items across two instances never trips the downstream limit, and all succeed', async () => {
    const started = Date.now();
    await run.submit(24);
    await waitFor(() => run.succeeded.events.length + run.failed.events.length >= 24, {
      timeoutMs: 60_000,
      description: '24 outcomes',
    });
    expect(run.failed.values().map((event) => event.failure)).toEqual([]);
    expect(run.succeeded.events).toHaveLength(24);
    expect(simulator.stats().throttled).toBe(0);
    // 24 calls at 4/s need at least five one-second windows after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
  });

  it('(control) the same burst sent straight at the simulator is throttled', async () => {
    const responses = await Promise.all(
      PORTFOLIOS.slice(0, 24).map((p) => fetch(`${simulator.url}/portfolios/${p.portfolioId}/profitability-report`)),
    );
    expect(responses.filter((response) => response.status === 429).length).toBeGreaterThan(0);
  });
});
