import type { Admin, Kafka, Producer } from 'kafkajs';
import { IngestRejected, WorkItem } from '@workpipe/contracts';
import {
  EventPublisher,
  output,
  PartitionWorker,
  RecordEncoder,
  RegistrySerde,
  TopicLimits,
  TopicProvisioner,
  type ConsumerSpec,
  type EachHandler,
  type PartitionWorkerDependencies,
} from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { countRecords } from '../support/record-count';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const env = new TestEnv('worker');
const config = env.config('processor');
const logger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'warn' });
const PARTITIONS = 3;

interface Job {
  key: string;
  n: number;
  sleepMs?: number;
}

/** An output event per handled job: an IngestRejected used as a plain record, `reason` = `out:<key>:<n>`. */
const outputFor = (topic: string, job: Job) =>
  output(topic, IngestRejected, {
    key: job.key,
    value: {
      sourceTopic: 'jobs',
      partition: 0,
      offset: '0',
      keyBase64: null,
      valueBase64: null,
      headers: {},
      reason: `out:${job.key}:${job.n}`,
      rejectedAt: new Date().toISOString(),
    },
  });

describe('PartitionWorker on the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let deps: PartitionWorkerDependencies;
  let publisher: EventPublisher;
  const workers: PartitionWorker[] = [];
  const topic = (name: string) => `${env.topicPrefix}${name}`;

  beforeAll(async () => {
    kafka = env.kafka();
    admin = kafka.admin();
    await admin.connect();
    // Idempotent: a plain producer that retries a request after a partial failure (a fresh topic's
    // leader not ready) writes the partitions that did succeed twice, and the inputs are not what the test sent.
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const serde = new RegistrySerde(config.schemaRegistry);
    const limits = new TopicLimits(admin);
    publisher = new EventPublisher(kafka, serde, logger, { limits });
    await publisher.connect();
    deps = { kafka, admin, serde, encoder: new RecordEncoder(serde, limits), publisher, logger };
    await new TopicProvisioner(admin, logger).ensure(
      ['jobs', 'out', 'rejected', 'items', 'big-out', 'slow'].map((name) => ({ name: topic(name), partitions: PARTITIONS, replicationFactor: 1 })),
    );
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    await publisher?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
    await cleanupWithSubjects(env);
  });

  const spec = (name: string, overrides: Partial<ConsumerSpec> = {}): ConsumerSpec => ({
    name,
    groupId: `${env.topicPrefix}${name}`,
    topics: [{ topic: topic('jobs') }],
    mode: 'each',
    commit: 'transaction',
    rejectedTopic: topic('rejected'),
    maxWaitTimeMs: 200,
    ...overrides,
  });

  async function startWorker(consumer: ConsumerSpec, handle: EachHandler, extra: Partial<PartitionWorkerDependencies> = {}): Promise<PartitionWorker> {
    const worker = new PartitionWorker(consumer, { each: handle }, { ...deps, ...extra });
    workers.push(worker);
    await worker.start();
    await waitFor(() => worker.health().state === 'running', { timeoutMs: 30_000, description: `${consumer.name} running` });
    return worker;
  }

  async function committedOffsets(groupId: string, name: string): Promise<Record<number, string>> {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [name] });
    return Object.fromEntries((offsets?.partitions ?? []).map((entry) => [entry.partition, entry.offset]));
  }

  async function endOffsets(name: string): Promise<Record<number, string>> {
    return Object.fromEntries((await admin.fetchTopicOffsets(name)).map((entry) => [entry.partition, entry.high]));
  }

  it('handles every message once, in key order, and commits each output with its offset in one transaction', async () => {
    const jobs: Job[] = Array.from({ length: 1200 }, (_, n) => ({ key: `k${n % 24}`, n, sleepMs: n % 7 }));
    await producer.send({ topic: topic('jobs'), messages: jobs.map((job) => ({ key: job.key, value: JSON.stringify(job) })) });
    expect(Object.values(await endOffsets(topic('jobs'))).reduce((sum, end) => sum + Number(end), 0)).toBe(jobs.length);
    const seen = new Map<string, number[]>();
    let concurrent = 0;
    let peak = 0;
    let handledCount = 0;
    const worker = await startWorker(spec('ordered', { concurrency: 6 }), async (message) => {
      const job = JSON.parse((message.value as Buffer).toString()) as Job;
      concurrent++;
      peak = Math.max(peak, concurrent);
      await new Promise((resolve) => setTimeout(resolve, job.sleepMs));
      concurrent--;
      seen.set(job.key, [...(seen.get(job.key) ?? []), job.n]);
      handledCount++;
      return [outputFor(topic('out'), job)];
    });
    const out = await new TopicReader(kafka, new RegistrySerde(config.schemaRegistry), topic('out'), IngestRejected, `${env.id}-out`).start();
    try {
      await waitFor(() => out.events.length >= jobs.length, { timeoutMs: 60_000, description: 'every output' });
      // Committed to the end of the input: every output the worker will ever write is in the topic
      // (each went with its offset), so the count of what is there is final.
      await waitFor(async () => JSON.stringify(await committedOffsets(`${env.topicPrefix}ordered`, topic('jobs'))) === JSON.stringify(await endOffsets(topic('jobs'))), {
        timeoutMs: 10_000,
        description: 'offsets committed to the end',
      });
      expect(await countRecords(kafka, topic('out'))).toBe(jobs.length);
      const reasons = out.values().map((value) => value.reason);
      expect(new Set(reasons).size).toBe(jobs.length);
      expect(reasons).toHaveLength(jobs.length);
      expect(handledCount).toBe(jobs.length);
      for (const [, ns] of seen) expect(ns).toEqual([...ns].sort((a, b) => a - b));
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(6);
    } finally {
      await out.stop();
      await worker.stop();
    }
  });

  it('lets other keys of a partition go past a slow message, and commits nothing past it until it is done', async () => {
    const slowJobs: Job[] = [{ key: 'slow', n: 0 }, ...Array.from({ length: 30 }, (_, n) => ({ key: `fast-${n}`, n: n + 1 }))];
    await producer.send({ topic: topic('slow'), messages: slowJobs.map((job) => ({ key: job.key, value: JSON.stringify(job), partition: 0 })) });
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const handled: number[] = [];
    const worker = await startWorker(spec('slow', { topics: [{ topic: topic('slow') }] }), async (message) => {
      const job = JSON.parse((message.value as Buffer).toString()) as Job;
      if (job.key === 'slow') await slowGate;
      handled.push(job.n);
      return [];
    });
    try {
      await waitFor(() => handled.length === 30, { timeoutMs: 20_000, description: 'the fast messages handled' });
      expect(handled).not.toContain(0);
      // A marker on another partition, handled after the fast ones: the commit round that takes it
      // also takes partition 0's done prefix, so once it is committed partition 0 has had its chance.
      await producer.send({ topic: topic('slow'), messages: [{ key: 'marker', value: JSON.stringify({ key: 'marker', n: 99 }), partition: 1 }] });
      await waitFor(async () => (await committedOffsets(`${env.topicPrefix}slow`, topic('slow')))[1] === '1', { timeoutMs: 10_000, description: 'the marker committed' });
      expect(handled).toContain(99);
      expect((await committedOffsets(`${env.topicPrefix}slow`, topic('slow')))[0]).toBe('-1');
      releaseSlow();
      await waitFor(async () => (await committedOffsets(`${env.topicPrefix}slow`, topic('slow')))[0] === '31', { timeoutMs: 10_000, description: 'commit past all' });
    } finally {
      releaseSlow();
      await worker.stop();
    }
  });

  it('sets a tombstone and undecodable bytes aside with their position, and moves on', async () => {
    const serde = new RegistrySerde(config.schemaRegistry);
    const item = {
      itemId: 'good-1',
      key: 'k',
      type: 'portfolio-report',
      payload: {},
      attempt: 1,
      createdAt: new Date().toISOString(),
      correlationId: 'c',
      history: [],
    };
    await producer.send({
      topic: topic('items'),
      messages: [
        { key: 'k', value: null, partition: 1 },
        { key: 'k', value: Buffer.from([0xde, 0xad, 0xbe, 0xef]), partition: 1 },
        { key: 'k', value: await serde.encode(topic('items'), WorkItem, item), partition: 1 },
      ],
    });
    const handled: string[] = [];
    const rejected = await new TopicReader(kafka, serde, topic('rejected'), IngestRejected, `${env.id}-rej`).start();
    const worker = await startWorker(spec('poison', { topics: [{ topic: topic('items'), contract: WorkItem }] }), async (message) => {
      handled.push((message.value as WorkItem.Value).itemId);
      return [];
    });
    try {
      await waitFor(() => handled.includes('good-1') && rejected.events.length >= 2, { timeoutMs: 20_000, description: 'poison set aside, next handled' });
      const values = rejected.values().filter((value) => value.sourceTopic === topic('items'));
      expect(values.map((value) => [value.partition, value.offset, value.valueBase64])).toEqual([
        [1, '0', null],
        [1, '1', Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64')],
      ]);
      expect(values[0]!.reason).toMatch(/tombstone/);
      expect(values[1]!.reason).toMatch(/wire format/);
    } finally {
      await rejected.stop();
      await worker.stop();
    }
  });

  it('replaces outputs that cannot be produced, and sets the message aside when the replacement cannot be either', async () => {
    await producer.send({
      topic: topic('jobs'),
      messages: [
        { key: 'big', value: JSON.stringify({ key: 'big', n: -1 }) },
        { key: 'cycle', value: JSON.stringify({ key: 'cycle', n: -2 }) },
      ],
    });
    const serde = new RegistrySerde(config.schemaRegistry);
    const out = await new TopicReader(kafka, serde, topic('big-out'), IngestRejected, `${env.id}-big`).start();
    const rejected = await new TopicReader(kafka, serde, topic('rejected'), IngestRejected, `${env.id}-rej2`).start();
    const huge = (job: Job) => {
      const event = outputFor(topic('big-out'), job);
      return { ...event, event: { ...event.event, value: { ...(event.event.value as object), valueBase64: 'x'.repeat(1_500_000) } } };
    };
    const worker = await startWorker(
      spec('unpublishable', {
        replaceUnpublishable: (message, error) => {
          const job = JSON.parse((message.value as Buffer).toString()) as Job;
          // 'cycle': the replacement is too large as well.
          if (job.key === 'cycle') return [huge(job)];
          return [outputFor(topic('big-out'), { key: `replaced:${error.name}`, n: job.n })];
        },
      }),
      async (message) => {
        const job = JSON.parse((message.value as Buffer).toString()) as Job;
        return job.n >= 0 ? [] : [huge(job)];
      },
    );
    try {
      await waitFor(() => out.events.length >= 1 && rejected.values().some((value) => value.sourceTopic === topic('jobs')), {
        timeoutMs: 20_000,
        description: 'replacement and rejection',
      });
      expect(out.values().map((value) => value.reason)).toEqual(['out:replaced:RecordTooLargeError:-1']);
      const cycle = rejected.values().find((value) => value.sourceTopic === topic('jobs'));
      expect(cycle?.reason).toMatch(/outputs cannot be produced/);
    } finally {
      await out.stop();
      await rejected.stop();
      await worker.stop();
    }
  });
});
