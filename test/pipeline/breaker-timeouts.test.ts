import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkFailed, WorkSucceeded } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { DownstreamGuard } from '../../apps/processor/src/downstream/downstream-guard';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { PORTFOLIOS, startSimulator, type SimulatorHandle } from '../../tools/simulator';
import { PipelineHarness } from '../support/pipeline-harness';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/**
 * The built-in circuit breaker counts TIMEOUT (not only API_ERROR), is kept per downstream, and
 * closes after `breakerResetTimeoutMs`. Two downstreams: `slow`, a simulator that never answers in
 * time, and `steady`, a healthy one. Every item has one key, so they run one after another in the
 * order submitted.
 */

/** Calls of a downstream in the breaker's window before it may open. */
const VOLUME_THRESHOLD = 3;
/** The breaker's cool-down, in milliseconds (TIME_SCALE 1): long enough for the items queued behind the opening. */
const RESET_TIMEOUT_MS = 8_000;
/** The slow downstream's answer is given up on after this long, in milliseconds: a TIMEOUT. */
const SLOW_TIMEOUT_MS = 300;
/** Items for the slow downstream in the first burst: more than it takes to open the breaker. */
const SLOW_ITEMS = 6;
const KEY = 'breaker-key';

function reportType(simulator: SimulatorHandle, downstream: string, timeoutMs: number): Record<string, unknown> {
  return {
    handler: 'http',
    url: `${simulator.url}/portfolios/{portfolioId}/profitability-report?date={date}`,
    timeoutMs,
    downstream,
  };
}

describe('the circuit breaker counts TIMEOUT, per downstream, and closes after its cool-down', () => {
  const env = new TestEnv('breaker-timeouts');
  const harness = new PipelineHarness(env);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  let slow: SimulatorHandle;
  let steady: SimulatorHandle;
  let processor: INestApplication;
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let submit: (items: { itemId: string; type: string; portfolioId: string }[]) => Promise<unknown>;
  /** Breaker states of the processor's downstreams. */
  let breakers: () => Record<string, string>;

  beforeAll(async () => {
    slow = await startSimulator({ seed: 1, profile: 'always-timeout' });
    steady = await startSimulator({ seed: 1, profile: 'healthy' });
    const breaker = { breakerVolumeThreshold: VOLUME_THRESHOLD, breakerErrorThresholdPercent: 50, breakerResetTimeoutMs: RESET_TIMEOUT_MS };
    const ingestor = await harness.start(INGESTOR);
    processor = await harness.start(PROCESSOR, {
      PROCESSOR_CONCURRENCY: '1',
      WORK_TYPES: JSON.stringify({
        'slow-report': reportType(slow, 'slow', SLOW_TIMEOUT_MS),
        'steady-report': reportType(steady, 'steady', 5_000),
      }),
      DOWNSTREAMS: JSON.stringify({ slow: breaker, steady: breaker }),
    });
    breakers = () => processor.get(DownstreamGuard, { strict: false }).states();
    submit = (items) =>
      request(ingestor.getHttpServer())
        .post('/v1/batches')
        .send({
          items: items.map(({ itemId, type, portfolioId }) => ({ itemId, key: KEY, type, payload: { portfolioId, date: '2026-11-20' } })),
        })
        .expect(202);
    succeeded = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    failed = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.failed), WorkFailed, `${env.id}-f`).start();
  });

  afterAll(async () => {
    await Promise.allSettled([succeeded?.stop(), failed?.stop()]);
    await harness.close();
    await Promise.allSettled([slow?.close(), steady?.close()]);
    await cleanupWithSubjects(env);
  });

  const outcomeOf = (itemId: string): string | undefined =>
    succeeded.values().some((event) => event.itemId === itemId)
      ? 'SUCCEEDED'
      : failed.values().find((event) => event.item.itemId === itemId)?.failure.type;

  it('opens on timeouts and fails fast with CIRCUIT_OPEN, leaves the other downstream alone, and after breakerResetTimeoutMs lets a call through and closes', async () => {
    const portfolio = (i: number): string => (PORTFOLIOS[i] as { portfolioId: string }).portfolioId;
    const slowItems = Array.from({ length: SLOW_ITEMS }, (_, i) => ({ itemId: `slow-${i + 1}`, type: 'slow-report', portfolioId: portfolio(i) }));
    const steadyItems = Array.from({ length: 3 }, (_, i) => ({ itemId: `steady-${i + 1}`, type: 'steady-report', portfolioId: portfolio(20 + i) }));
    // After the steady ones, one more for the slow downstream: its breaker must still be open.
    const lastSlow = { itemId: 'slow-last', type: 'slow-report', portfolioId: portfolio(SLOW_ITEMS) };
    const all = [...slowItems, ...steadyItems, lastSlow];
    await submit(all);
    await waitFor(() => all.every((item) => outcomeOf(item.itemId) !== undefined), { timeoutMs: 60_000, description: `${all.length} outcomes` });

    const calls = slow.stats().totalCalls;
    const slowOutcomes = [...slowItems, lastSlow].map((item) => outcomeOf(item.itemId));
    // Every call of the slow downstream timed out; once the breaker opened it was called no more.
    expect(slowOutcomes.filter((type) => type === 'TIMEOUT')).toHaveLength(calls);
    expect(calls).toBeGreaterThanOrEqual(VOLUME_THRESHOLD);
    expect(calls).toBeLessThan(SLOW_ITEMS);
    expect(slowOutcomes).toEqual([...Array<string>(calls).fill('TIMEOUT'), ...Array<string>(SLOW_ITEMS + 1 - calls).fill('CIRCUIT_OPEN')]);
    for (const event of failed.values().filter((e) => e.failure.type === 'CIRCUIT_OPEN')) {
      expect(event.failure).toMatchObject({ retryable: true, code: 'CIRCUIT_OPEN' });
      expect(event.failure.retryAfterMs).toBeGreaterThan(0);
      expect(event.failure.retryAfterMs).toBeLessThanOrEqual(RESET_TIMEOUT_MS);
    }
    // The steady downstream, called in between, is unaffected: each of its items called it and succeeded.
    expect(steadyItems.map((item) => outcomeOf(item.itemId))).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(steady.stats().totalCalls).toBe(steadyItems.length);
    expect(breakers()).toMatchObject({ slow: 'open', steady: 'closed' });

    // The cool-down's end, as the breaker sees it: its trial state.
    await waitFor(() => breakers().slow === 'half-open', {
      timeoutMs: RESET_TIMEOUT_MS + 30_000,
      intervalMs: 100,
      description: 'the slow downstream breaker half-open after its cool-down',
    });
    // The downstream has recovered meanwhile.
    slow.reset({ profile: 'healthy' });
    await submit([{ itemId: 'slow-trial', type: 'slow-report', portfolioId: (PORTFOLIOS[40] as { portfolioId: string }).portfolioId }]);
    await waitFor(() => outcomeOf('slow-trial'), { timeoutMs: 60_000, description: 'the trial call' });
    expect(outcomeOf('slow-trial')).toBe('SUCCEEDED');
    expect(slow.stats().totalCalls).toBe(1);
    expect(breakers().slow).toBe('closed');

    // Closed: calls go through again.
    await submit([{ itemId: 'slow-after', type: 'slow-report', portfolioId: (PORTFOLIOS[41] as { portfolioId: string }).portfolioId }]);
    await waitFor(() => outcomeOf('slow-after'), { timeoutMs: 60_000, description: 'the call after the breaker closed' });
    expect(outcomeOf('slow-after')).toBe('SUCCEEDED');
    expect(slow.stats().totalCalls).toBe(2);
  });
});
