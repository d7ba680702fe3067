import request from 'supertest';
import { TOPICS, topicName, WorkFailed, WorkSucceeded } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { decideOutcome, PORTFOLIOS, startSimulator, type Outcome, type SimulatorHandle } from '../../tools/simulator';
import { groupAssignment, waitForGroupsAtEnd, waitForMembersWithPartitions } from '../support/consumer-groups';
import { PipelineHarness, portfolioSubmissions, reportWorkTypes } from '../support/pipeline-harness';
import { countRecords } from '../support/record-count';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const SEED = 42;
const EXPECTED_FAILURE: Record<Exclude<Outcome, 'ok'>, string> = {
  server_error: 'API_ERROR',
  timeout: 'TIMEOUT',
  rate_limited: 'RATE_LIMIT',
  empty_report: 'EMPTY_REPORT',
  unauthorized: 'AUTHENTICATION',
  malformed: 'PROCESSING_ERROR',
  bad_request: 'VALIDATION',
};

describe('104 portfolios through the ingestor and two processors against the simulator', () => {
  const env = new TestEnv('processor');
  const harness = new PipelineHarness(env);
  let simulator: SimulatorHandle;
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let submitted: request.Response;
  /** Partitions of the work topic per processor when the batch was submitted. */
  let assignedAtSubmit: number[][];
  const processorGroup = `${env.topicPrefix}processor`;
  const workTopic = topicName(env.topicPrefix, TOPICS.work);
  const assignment = () => groupAssignment(env.kafka(), processorGroup, workTopic);

  beforeAll(async () => {
    simulator = await startSimulator({ seed: SEED, profile: { extends: 'seed', timeoutHoldMs: 5_000 } });
    const processorEnv = {
      WORK_TYPES: reportWorkTypes(simulator.url, 400),
      // The breaker has its own test; here every fault must reach the downstream.
      DOWNSTREAMS: JSON.stringify({ reports: { breakerVolumeThreshold: 10_000 } }),
      PROCESSOR_CONCURRENCY: '8',
    };
    const ingestor = await harness.start(INGESTOR);
    await harness.start(PROCESSOR, processorEnv);
    await harness.start(PROCESSOR, processorEnv);
    // Submit once both instances hold partitions, so the batch is split rather than moved mid-way
    // (a processor joining mid-stream is test/worker/processor-attempts.test.ts).
    assignedAtSubmit = await waitForMembersWithPartitions(env.kafka(), processorGroup, workTopic, 2);
    const serde = new RegistrySerde(env.config('cli').schemaRegistry);
    succeeded = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    failed = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.failed), WorkFailed, `${env.id}-f`).start();
    submitted = await request(ingestor.getHttpServer())
      .post('/v1/batches')
      .send({ batchId: 'portfolios-2026-11-20', items: portfolioSubmissions(PORTFOLIOS.map((p) => p.portfolioId)) });
  });

  afterAll(async () => {
    await Promise.allSettled([succeeded?.stop(), failed?.stop()]);
    await harness.close();
    await simulator?.close();
    await cleanupWithSubjects(env);
  });

  /** Every first attempt's outcome on the topics; shared by the tests, so each one also runs alone (-t). */
  let settled: Promise<void> | undefined;
  const outcomes = (): Promise<void> =>
    (settled ??= (async () => {
      await waitFor(() => succeeded.events.length + failed.events.length >= 104, {
        timeoutMs: 90_000,
        description: '104 outcome events',
      });
      // Every outcome is committed with its item's offset: once the group has committed past the
      // last item, the outcome topics hold all the processors will ever write for this batch.
      await waitForGroupsAtEnd(env.kafka(), [{ groupId: processorGroup, topics: [workTopic] }]);
      const [inSucceeded, inFailed] = await Promise.all([countRecords(env.kafka(), succeeded.topic), countRecords(env.kafka(), failed.topic)]);
      await waitFor(() => succeeded.events.length >= inSucceeded && failed.events.length >= inFailed, {
        description: `the readers at ${inSucceeded} successes and ${inFailed} failures`,
      });
    })());

  it('accepts the batch of 104', () => {
    expect(submitted.status).toBe(202);
    expect(submitted.body.counts).toEqual({ accepted: 104, rejected: 0, duplicates: 0 });
  });

  it('yields exactly one outcome per attempt, typed after the simulated fault', async () => {
    await outcomes();
    const outcomeOf = new Map<string, string>();
    for (const event of succeeded.values()) outcomeOf.set(event.itemId, outcomeOf.has(event.itemId) ? 'DUPLICATE' : 'ok');
    for (const event of failed.values()) {
      outcomeOf.set(event.item.itemId, outcomeOf.has(event.item.itemId) ? 'DUPLICATE' : event.failure.type);
    }
    expect(succeeded.events.length + failed.events.length).toBe(104);

    const tally: Record<string, number> = {};
    for (const { portfolioId } of PORTFOLIOS) {
      const simulated = decideOutcome(simulator.profile, SEED, portfolioId, 1);
      const expected = simulated === 'ok' ? 'ok' : EXPECTED_FAILURE[simulated];
      expect({ portfolioId, outcome: outcomeOf.get(`${portfolioId}-2026-11-20`) }).toEqual({ portfolioId, outcome: expected });
      tally[simulated] = (tally[simulated] ?? 0) + 1;
    }
    // The seed's profile exercises every fault the issue names.
    for (const fault of ['server_error', 'timeout', 'rate_limited', 'empty_report', 'unauthorized']) {
      expect(tally[fault]).toBeGreaterThan(0);
    }
    process.stdout.write(`first-attempt outcomes by simulated fault: ${JSON.stringify(tally)}\n`);
  });

  it('carries the downstream Retry-After on RATE_LIMIT failures, and the item and headers on every failure', async () => {
    await outcomes();
    const rateLimited = failed.events.filter((event) => event.value.failure.type === 'RATE_LIMIT');
    expect(rateLimited.length).toBeGreaterThan(0);
    for (const event of rateLimited) expect(event.value.failure.retryAfterMs).toBe(2000);
    for (const event of failed.events) {
      expect(event.key).toBe(event.value.item.key);
      expect(event.headers).toMatchObject({
        'x-item-id': event.value.item.itemId,
        'x-batch-id': 'portfolios-2026-11-20',
        'x-attempt': '1',
        'x-failure-type': event.value.failure.type,
        'x-correlation-id': event.value.item.correlationId,
        'x-event-type': 'WorkFailed',
      });
      expect(event.value.source.topic).toBe(topicName(env.topicPrefix, TOPICS.work));
    }
    const authentication = failed.values().find((event) => event.failure.type === 'AUTHENTICATION');
    expect(authentication?.failure).toMatchObject({ code: 'HTTP_401', retryable: true });
    const summary = succeeded.values()[0]?.result;
    expect(summary).toMatchObject({ status: 200, rows: expect.any(Number), bytes: expect.any(Number) });
  });

  it('split the work topic between both processor instances, each handling the items of its partitions', async () => {
    await outcomes();
    // No partition moved while the batch ran (the same members hold what they held at submission)...
    expect(await assignment()).toEqual(assignedAtSubmit);
    // ...so the outcomes read from each member's partitions were produced by that member.
    const partitionsWithOutcomes = new Set([...succeeded.values(), ...failed.values()].map((event) => event.source.partition));
    for (const partitions of assignedAtSubmit) {
      expect({ partitions, handled: partitions.some((partition) => partitionsWithOutcomes.has(partition)) }).toEqual({ partitions, handled: true });
    }
  });
});
