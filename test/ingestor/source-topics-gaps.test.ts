import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Admin, Producer } from 'kafkajs';
import { IngestRejected, TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { compileServices, removeCompiled, type CompiledServices } from '../../tools/services/compiled-service';
import { stopService, waitReady } from '../../tools/services/service-process';
import { killRun, runService, type ServiceRun } from '../foundation/support/service-run';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '../..');

/** Where the source consumer's offsets are: `<prefix>ingestor.sources`, written out. */
const sourceGroup = (env: TestEnv) => `${env.topicPrefix}ingestor.sources`;

async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<string[]> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (committed?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((entry) => entry.offset);
}

interface LogLine {
  level: string;
  msg: string;
  topic?: string;
}

function parsed(lines: readonly string[]): LogLine[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

const MISSING_TOPIC = /^INGEST_SOURCES: source topic does not exist; not consuming it/;

describe('a source topic that does not exist when the ingestor starts', () => {
  const env = new TestEnv('src-late');
  const lateTopic = `${env.topicPrefix}late.events`;
  const sources = JSON.stringify([
    { topic: lateTopic, format: 'json', type: 'billing-message', mapping: { key: 'customer.id', itemId: 'id', payload: '$' } },
  ]);
  let build: CompiledServices;
  let admin: Admin;
  let producer: Producer;
  const runs: ServiceRun[] = [];

  beforeAll(async () => {
    build = compileServices(ROOT, ['ingestor'], `src-late-${randomBytes(3).toString('hex')}`);
    admin = env.kafka().admin();
    producer = env.kafka().producer({ idempotent: true });
    await Promise.all([admin.connect(), producer.connect()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(runs.map((run) => killRun(run)));
    await Promise.allSettled([producer?.disconnect(), admin?.disconnect()]);
    await env.cleanup();
    if (build) removeCompiled(build);
  });

  it('is reported by a warning naming it at start, and consumed from the next start once it exists', async () => {
    const first = await runService(build, 'ingestor', env, 'first', { INGEST_SOURCES: sources });
    runs.push(first);
    await waitReady(first, 60_000);
    const warning = await waitFor(
      () => parsed(first.logLines()).find((line) => line.level === 'warn' && line.topic === lateTopic && MISSING_TOPIC.test(line.msg)),
      { timeoutMs: 10_000, description: 'the missing source topic warning' },
    );
    expect(warning.msg).toMatch(/it is not ours to create.*Restart the ingestor once it exists/);
    expect(await admin.listTopics()).not.toContain(lateTopic);

    // The other system creates its topic and writes to it while this ingestor runs.
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: lateTopic, numPartitions: 1 }] });
    const events = [
      { id: 'late-1', customer: { id: 'C-1' }, amount: 1 },
      { id: 'late-2', customer: { id: 'C-2' }, amount: 2 },
    ];
    await producer.send({ topic: lateTopic, acks: -1, messages: events.map((event) => ({ key: event.customer.id, value: JSON.stringify(event) })) });
    expect(await stopService(first)).toBe(0);
    // That run had no consumer for it: its group never committed anything there.
    expect(await committedOffsets(admin, sourceGroup(env), lateTopic)).toEqual(['-1']);

    const work = await new TopicReader(
      env.kafka(),
      new RegistrySerde(env.config('cli').schemaRegistry),
      topicName(env.topicPrefix, TOPICS.work),
      WorkItem,
      `${env.id}-work`,
    ).start();
    try {
      const second = await runService(build, 'ingestor', env, 'second', { INGEST_SOURCES: sources });
      runs.push(second);
      await waitReady(second, 60_000);
      await waitFor(() => events.every((event) => work.values().some((value) => value.itemId === event.id)), {
        timeoutMs: 60_000,
        description: 'the late topic’s events as work items',
      });
      expect(work.values().map((value) => ({ itemId: value.itemId, key: value.key, type: value.type })).sort((a, b) => a.itemId.localeCompare(b.itemId))).toEqual([
        { itemId: 'late-1', key: 'C-1', type: 'billing-message' },
        { itemId: 'late-2', key: 'C-2', type: 'billing-message' },
      ]);
      await waitFor(async () => (await committedOffsets(admin, sourceGroup(env), lateTopic))[0] === '2', {
        timeoutMs: 30_000,
        description: 'the late topic’s offsets committed',
      });
      expect(parsed(second.logLines()).filter((line) => MISSING_TOPIC.test(line.msg))).toEqual([]);
      expect(await stopService(second)).toBe(0);
    } finally {
      await work.stop();
    }
  }, 240_000);
});

/** A payload nested `levels` deep: the payload object itself is level 1. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

describe('an item mapped from a source event with a payload deeper than 32 levels', () => {
  const env = new TestEnv('src-deep');
  const deepTopic = `${env.topicPrefix}deep.events`;
  const config = env.config('ingestor', {
    INGEST_SOURCES: JSON.stringify([{ topic: deepTopic, format: 'json', type: 'billing-message', mapping: { key: 'key', itemId: 'id', payload: 'body' } }]),
  });
  const serde = new RegistrySerde(config.schemaRegistry);
  let admin: Admin;
  let app: INestApplication | undefined;
  const readers: TopicReader<typeof WorkItem.Schema | typeof IngestRejected.Schema>[] = [];

  beforeAll(async () => {
    admin = env.kafka().admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: deepTopic, numPartitions: 1 }] });
    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await Promise.allSettled(readers.map((reader) => reader.stop()));
    await app?.close();
    await admin?.disconnect();
    await env.cleanup();
  });

  it('sets it aside to ingest.rejected with its bytes and the reason, accepts one 32 deep, and moves on', async () => {
    const events = [
      // The README's limit, written out: a change of the constant fails here.
      { id: 'at-limit', key: 'K-1', body: nested(32) },
      { id: 'too-deep', key: 'K-2', body: nested(40) },
      { id: 'after', key: 'K-3', body: { amount: 3 } },
    ];
    const producer = env.kafka().producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: deepTopic, acks: -1, messages: events.map((event) => ({ key: event.key, value: JSON.stringify(event) })) });
    await producer.disconnect();

    const work = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.work), WorkItem, `${env.id}-work`).start();
    const rejected = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.ingestRejected), IngestRejected, `${env.id}-rejected`).start();
    readers.push(work, rejected);
    await waitFor(async () => (await committedOffsets(admin, sourceGroup(env), deepTopic))[0] === '3', {
      timeoutMs: 60_000,
      description: 'the three source events committed',
    });

    await waitFor(() => rejected.values().length >= 1, { description: 'the rejection' });
    expect(rejected.values()).toHaveLength(1);
    const rejection = rejected.values()[0] as IngestRejected.Value;
    expect(rejection).toMatchObject({ sourceTopic: deepTopic, partition: 0, offset: '1' });
    expect(rejection.reason).toMatch(
      /^invalid work item: payload\.a\.a.*: the payload nests objects and arrays more than 32 levels deep; at most 32 are allowed$/,
    );
    expect(JSON.parse(Buffer.from(rejection.valueBase64 as string, 'base64').toString())).toEqual(events[1]);

    await waitFor(() => work.values().length >= 2, { description: 'the two acceptable events as work items' });
    expect(work.values().map((value) => value.itemId).sort()).toEqual(['after', 'at-limit']);
    expect(work.values().find((value) => value.itemId === 'at-limit')?.payload).toEqual(events[0]?.body);
  });
});
