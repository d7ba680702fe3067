import request from 'supertest';
import { HEADERS, retryTopicName, TOPICS, topicName, WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { PORTFOLIOS, startSimulator, type SimulatorHandle } from '../../tools/simulator';
import { readTopicEnds, waitForGroupsAtEnd, type TopicEnd } from '../support/consumer-groups';
import { percentile } from '../support/percentiles';
import { PipelineHarness, portfolioSubmissions, reportWorkTypes } from '../support/pipeline-harness';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/** 60 s of API_ERROR backoff become 300 ms. */
const TIME_SCALE = '0.005';

describe('104 portfolios with retries: every item ends succeeded or abandoned', () => {
  const env = new TestEnv('retries');
  const harness = new PipelineHarness(env);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  let simulator: SimulatorHandle;
  let work: TopicReader<typeof WorkItem.Schema>;
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let abandoned: TopicReader<typeof WorkAbandoned.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let statsUrl: string;

  const shared = { TIME_SCALE, DELAY_TIERS: '100ms,500ms,2s,10s,1m' };

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 42, profile: { extends: 'seed', timeoutHoldMs: 5_000 } });
    const ingestor = await harness.start(INGESTOR, shared);
    await harness.start(PROCESSOR, { ...shared, WORK_TYPES: reportWorkTypes(simulator.url, 400), PROCESSOR_CONCURRENCY: '16' });
    await harness.start(RETRIER, shared);
    const stats = await harness.start(STATS, shared);
    statsUrl = `http://127.0.0.1:${(stats.getHttpServer().address() as { port: number }).port}`;
    const topic = (base: (typeof TOPICS)[keyof typeof TOPICS]) => topicName(env.topicPrefix, base);
    work = await new TopicReader(env.kafka(), serde, topic(TOPICS.work), WorkItem, `${env.id}-w`).start();
    succeeded = await new TopicReader(env.kafka(), serde, topic(TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    abandoned = await new TopicReader(env.kafka(), serde, topic(TOPICS.abandoned), WorkAbandoned, `${env.id}-a`).start();
    failed = await new TopicReader(env.kafka(), serde, topic(TOPICS.failed), WorkFailed, `${env.id}-f`).start();
    await request(ingestor.getHttpServer())
      .post('/v1/batches')
      .send({ batchId: 'retry-batch', items: portfolioSubmissions(PORTFOLIOS.map((p) => p.portfolioId)) })
      .expect(202);
  });

  afterAll(async () => {
    await Promise.allSettled([work?.stop(), succeeded?.stop(), abandoned?.stop(), failed?.stop()]);
    await harness.close();
    await simulator?.close();
    await cleanupWithSubjects(env);
  });

  /** Every item in a terminal state; shared by the tests, so each one also runs alone (-t). */
  let settled: Promise<void> | undefined;
  const allTerminal = (): Promise<void> =>
    (settled ??= (async () => {
      const terminal = (): Set<string> =>
        new Set([...succeeded.values().map((e) => e.itemId), ...abandoned.values().map((e) => e.item.itemId)]);
      await waitFor(() => terminal().size >= 104, { timeoutMs: 120_000, intervalMs: 250, description: '104 items in a terminal state' });
      // Nothing may follow a terminal state. Every stage commits its outputs with its input offsets,
      // so once the processor, the retrier and its delay tiers have committed to the end of their
      // topics (none growing), nothing more can come: then the readers must have read it all.
      const config = env.config('retrier', shared);
      const topic = (base: (typeof TOPICS)[keyof typeof TOPICS]) => topicName(env.topicPrefix, base);
      await waitForGroupsAtEnd(
        env.kafka(),
        [
          { groupId: `${env.topicPrefix}processor`, topics: [topic(TOPICS.work)] },
          { groupId: `${env.topicPrefix}retrier`, topics: [topic(TOPICS.failed)] },
          { groupId: `${env.topicPrefix}retrier.delay`, topics: config.retry.delayTiersMs.map((tierMs) => retryTopicName(env.topicPrefix, tierMs)) },
        ],
        { timeoutMs: 120_000, description: 'the pipeline at rest' },
      );
      const readers = [work, succeeded, abandoned, failed];
      const records = await readTopicEnds(env.kafka(), readers.map((reader) => reader.topic));
      await waitFor(() => readers.every((reader) => reader.events.length + reader.undecodable.length >= (records.get(reader.topic) as TopicEnd).records), {
        description: 'the readers at the end of their topics',
      });
    })());

  it('brings every item to a terminal state, none lost or stuck, at least 95% succeeded', async () => {
    await allTerminal();
    const succeededIds = new Set(succeeded.values().map((e) => e.itemId));
    const abandonedIds = new Set(abandoned.values().map((e) => e.item.itemId));
    expect([...succeededIds].filter((id) => abandonedIds.has(id))).toEqual([]);
    expect(succeededIds.size + abandonedIds.size).toBe(104);
    // One terminal event each: nothing followed a success or a dead letter.
    expect(succeeded.events.length + abandoned.events.length).toBe(104);
    const rate = succeededIds.size / 104;
    process.stdout.write(
      `final success rate ${(rate * 100).toFixed(1)}% (${succeededIds.size}/104), abandoned: ${abandoned
        .values()
        .map((e) => `${e.item.key} ${e.reason} after ${e.item.history.length} failures (${e.lastFailure.type})`)
        .join('; ')}\n`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it('says why each abandoned item was abandoned, with every attempt in its history', async () => {
    await allTerminal();
    for (const event of abandoned.values()) {
      expect(['MAX_ATTEMPTS', 'NOT_RETRYABLE', 'CIRCUIT_OPEN']).toContain(event.reason);
      expect(event.detail.length).toBeGreaterThan(0);
      expect(event.item.history.length).toBeGreaterThanOrEqual(1);
      expect(event.item.history.at(-1)?.failure).toEqual(event.lastFailure);
      expect(event.item.history.map((h) => h.attempt)).toEqual(
        [...event.item.history.map((h) => h.attempt)].sort((a, b) => a - b),
      );
      for (const record of event.item.history) expect(record.source?.topic).toBe(topicName(env.topicPrefix, TOPICS.work));
    }
    // The problematic portfolios fail with API_ERROR until the policy gives up at attempt 5.
    const problematic = simulator.stats().alwaysFailing.map((p) => p.portfolioId);
    for (const portfolioId of problematic) {
      const event = abandoned.values().find((e) => e.item.key === portfolioId);
      expect(event).toMatchObject({ reason: 'MAX_ATTEMPTS', lastFailure: { type: 'API_ERROR' } });
      expect(event?.item.history).toHaveLength(5);
    }
  });

  it('fired every retry at or after its due time, and prints the lateness', async () => {
    await allTerminal();
    const retries = work.events.filter((event) => event.headers[HEADERS.dueAt] !== undefined);
    expect(retries.length).toBeGreaterThan(40);
    const lateness = retries.map((event) => event.timestamp - Number(event.headers[HEADERS.dueAt]));
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    process.stdout.write(
      `retry lateness over ${lateness.length} retries: p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${Math.max(...lateness)} ms\n`,
    );
  });

  it("the stats service's numbers for the batch equal what the topics themselves say", async () => {
    await allTerminal();
    const bySucceeded = new Map(succeeded.values().map((event) => [event.itemId, event]));
    const failedByType: Record<string, number> = {};
    for (const event of failed.values()) failedByType[event.failure.type] = (failedByType[event.failure.type] ?? 0) + 1;
    const abandonedByReason: Record<string, number> = {};
    for (const event of abandoned.values()) abandonedByReason[event.reason] = (abandonedByReason[event.reason] ?? 0) + 1;
    const firstPass = [...bySucceeded.values()].filter((event) => event.history.length === 0).length;
    const expected = {
      items: { submitted: 104, pending: 0, succeeded: bySucceeded.size, abandoned: abandoned.events.length },
      firstAttempt: firstPass,
      afterRetries: bySucceeded.size - firstPass,
      attempts: failed.events.length,
      attemptsByType: failedByType,
      byReason: abandonedByReason,
    };
    let view: Record<string, any> = {};
    await waitFor(
      async () => {
        view = (await (await fetch(`${statsUrl}/v1/batches/retry-batch`)).json()) as Record<string, any>;
        return view.items?.pending === 0 && view.failures?.attempts === failed.events.length;
      },
      { timeoutMs: 30_000, description: 'stats to catch up with the topics' },
    );
    expect({
      items: view.items,
      firstAttempt: view.succeeded.firstAttempt,
      afterRetries: view.succeeded.afterRetries,
      attempts: view.failures.attempts,
      attemptsByType: view.failures.attemptsByType,
      byReason: view.abandoned.byReason,
    }).toEqual(expected);
  });
});
