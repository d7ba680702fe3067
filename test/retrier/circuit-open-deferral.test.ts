import { TOPICS, topicName, WorkAbandoned, WorkFailed, WorkItem } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { PORTFOLIOS, startSimulator, type SimulatorHandle } from '../../tools/simulator';
import { PipelineHarness, reportWorkTypes } from '../support/pipeline-harness';
import { countRecords } from '../support/record-count';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const logger = createLogger({ service: 'test', level: 'silent' });

/** The test-sized deferral bound (20 by default). */
const MAX_DEFERRALS = 5;

/**
 * CIRCUIT_OPEN end to end: a processor whose breaker for the downstream is
 * open turns an item away without calling it, and the retrier defers the
 * item without spending an attempt until the deferral bound, then abandons it
 * with CIRCUIT_OPEN.
 *
 * The processor runs at TIME_SCALE 1 with a 10-minute breaker cool-down, so
 * its breaker stays open for the whole test (no half-open trial call); the
 * retrier runs at TIME_SCALE 0.001, so each deferral (capped at 300 s) takes
 * 300 ms. API_ERROR is abandoned at its first failure, so the items that open
 * the breaker end at once.
 */
describe('CIRCUIT_OPEN: deferred through the retrier without spending an attempt', () => {
  const env = new TestEnv('circuitopen');
  const harness = new PipelineHarness(env);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  const publisher = new EventPublisher(env.kafka(), serde, logger);
  const topic = (base: (typeof TOPICS)[keyof typeof TOPICS]) => topicName(env.topicPrefix, base);
  let simulator: SimulatorHandle;
  let work: TopicReader<typeof WorkItem.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let abandoned: TopicReader<typeof WorkAbandoned.Schema>;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 1, profile: 'always-server_error' });
    await harness.start(PROCESSOR, {
      WORK_TYPES: reportWorkTypes(simulator.url, 2000),
      PROCESSOR_CONCURRENCY: '1',
      DOWNSTREAMS: JSON.stringify({
        // A 10-minute window too, so a slow machine still counts the openers' failures together.
        reports: { breakerVolumeThreshold: 3, breakerErrorThresholdPercent: 50, breakerResetTimeoutMs: 600_000, breakerWindowMs: 600_000 },
      }),
    });
    await harness.start(RETRIER, {
      TIME_SCALE: '0.001',
      DELAY_TIERS: '1s,5s',
      RETRY_POLICY: JSON.stringify({ API_ERROR: { maxAttempts: 1 }, CIRCUIT_OPEN: { maxDeferrals: MAX_DEFERRALS } }),
    });
    work = await new TopicReader(env.kafka(), serde, topic(TOPICS.work), WorkItem, `${env.id}-w`).start();
    failed = await new TopicReader(env.kafka(), serde, topic(TOPICS.failed), WorkFailed, `${env.id}-f`).start();
    abandoned = await new TopicReader(env.kafka(), serde, topic(TOPICS.abandoned), WorkAbandoned, `${env.id}-a`).start();
    await publisher.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([publisher.disconnect(), work?.stop(), failed?.stop(), abandoned?.stop()]);
    await harness.close();
    await simulator?.close();
    await env.cleanup();
  });

  /** A fresh item on the work topic, as the ingestor publishes it. */
  const submit = async (itemId: string, portfolioId: string): Promise<void> => {
    const value: WorkItem.Value = {
      itemId,
      key: portfolioId,
      type: 'portfolio-report',
      payload: { portfolioId, date: '2026-11-20' },
      attempt: 1,
      createdAt: new Date().toISOString(),
      correlationId: itemId,
      history: [],
    };
    await publisher.publish(topic(TOPICS.work), WorkItem, [{ key: portfolioId, value }]);
  };

  const failuresOf = (itemId: string) => failed.values().filter((event) => event.item.itemId === itemId);

  it('comes back on the work topic with the same attempt and one more deferral each time, and is abandoned CIRCUIT_OPEN at the bound', async () => {
    // Open the breaker: items one at a time until the processor turns one away with CIRCUIT_OPEN.
    const openers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const itemId = `opener-${i}`;
      openers.push(itemId);
      await submit(itemId, PORTFOLIOS[i]?.portfolioId as string);
      const first = await waitFor(() => failuresOf(itemId)[0], { timeoutMs: 30_000, description: `the failure of ${itemId}` });
      if (first.failure.type === 'CIRCUIT_OPEN') break;
      expect(first.failure.type).toBe('API_ERROR');
    }
    expect(failuresOf(openers.at(-1) as string)[0]?.failure.type).toBe('CIRCUIT_OPEN');

    const portfolioId = PORTFOLIOS[20]?.portfolioId as string;
    const itemId = 'deferred-item';
    await submit(itemId, portfolioId);
    const dead = await waitFor(() => abandoned.values().find((event) => event.item.itemId === itemId), {
      timeoutMs: 90_000,
      intervalMs: 50,
      description: `${itemId} abandoned`,
    });

    expect(dead.reason).toBe('CIRCUIT_OPEN');
    expect(dead.detail).toBe(`deferred ${MAX_DEFERRALS} times while the downstream's circuit breaker was open`);
    expect(dead.lastFailure.type).toBe('CIRCUIT_OPEN');
    expect(dead.item).toMatchObject({ attempt: 1, deferrals: MAX_DEFERRALS });
    expect(dead.item.history.map((record) => [record.attempt, record.failure.type])).toEqual(
      Array.from({ length: MAX_DEFERRALS + 1 }, () => [1, 'CIRCUIT_OPEN']),
    );

    // On the work topic: the submission, then one deferral after another, each the same attempt.
    const sequence = [...Array(MAX_DEFERRALS + 1).keys()];
    const onWork = await waitFor(
      () => {
        const events = work.values().filter((event) => event.itemId === itemId);
        return events.length >= MAX_DEFERRALS + 1 && events;
      },
      { timeoutMs: 30_000, description: `${itemId} on the work topic ${MAX_DEFERRALS + 1} times` },
    );
    expect(onWork.map((item) => [item.attempt, item.deferrals ?? 0])).toEqual(sequence.map((deferrals) => [1, deferrals]));
    expect(failuresOf(itemId).map((event) => [event.item.attempt, event.item.deferrals ?? 0, event.failure.type])).toEqual(
      sequence.map((deferrals) => [1, deferrals, 'CIRCUIT_OPEN']),
    );
    // Turned away by the breaker every time: the downstream never saw the item.
    expect(simulator.stats().callsByPortfolio[portfolioId]).toBeUndefined();

    // Every item ends abandoned once; read each topic to its end: nothing else came of the deferred item.
    const all = [...openers, itemId];
    await waitFor(() => all.every((id) => abandoned.values().some((event) => event.item.itemId === id)), {
      timeoutMs: 60_000,
      description: 'every item abandoned',
    });
    for (const reader of [work, failed, abandoned] as { topic: string; events: readonly unknown[] }[]) {
      const records = await countRecords(env.kafka(), reader.topic);
      await waitFor(() => reader.events.length >= records, { timeoutMs: 30_000, description: `the reader of ${reader.topic} at its end` });
    }
    expect(abandoned.values().map((event) => event.item.itemId).sort()).toEqual([...all].sort());
    expect(work.values().filter((event) => event.itemId === itemId)).toHaveLength(MAX_DEFERRALS + 1);
    expect(failuresOf(itemId)).toHaveLength(MAX_DEFERRALS + 1);
    expect(abandoned.values().filter((event) => event.item.itemId !== itemId).map((event) => event.reason).sort()).toEqual(
      [...openers.slice(0, -1).map(() => 'MAX_ATTEMPTS'), 'CIRCUIT_OPEN'].sort(),
    );
  });
});
