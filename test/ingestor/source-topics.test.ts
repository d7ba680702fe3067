import type { INestApplication } from '@nestjs/common';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { Admin, Consumer, Producer } from 'kafkajs';
import request from 'supertest';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { SOURCE_CONSUMER_GROUP } from '../../apps/ingestor/src/sources/source-consumer-spec';
import { ingestDedupNamespace } from '../../apps/ingestor/src/submission/submission.service';
import { IngestRejected, TOPICS, topicName, valueSubject, WorkItem } from '@workpipe/contracts';
import { PayloadValidationError, RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { IdempotencyStore } from '@workpipe/redis';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { countRecords } from '../support/record-count';

const env = new TestEnv('sources');
const billingTopic = `${env.topicPrefix}billing.events`;
const ledgerTopic = `${env.topicPrefix}ledger.events`;
/** Configured but never created: the ingestor must neither create it nor fail because of it. */
const absentTopic = `${env.topicPrefix}not.created.yet`;
const groupId = `${env.topicPrefix}${SOURCE_CONSUMER_GROUP}`;
const config = env.config('ingestor', {
  INGEST_SOURCES: JSON.stringify([
    {
      topic: billingTopic,
      format: 'json',
      type: 'billing-message',
      mapping: { key: 'customer.id', itemId: 'id', payload: '$' },
    },
    {
      topic: ledgerTopic,
      format: 'registry',
      type: 'ledger-entry',
      mapping: { key: 'account.id', itemId: 'id', payload: 'entry' },
    },
    { topic: absentTopic, format: 'json', type: 'billing-message', mapping: { key: 'id' } },
  ]),
});
const workTopic = topicName(env.topicPrefix, TOPICS.work);
const rejectedTopic = topicName(env.topicPrefix, TOPICS.ingestRejected);
const serde = new RegistrySerde(config.schemaRegistry);

const goodInvoice = { id: 'inv-1', customer: { id: 'C-1', name: 'Ada' }, amount: 10 };
const poisonBytes = Buffer.from('not json {');
const unmappable = { id: 'inv-2', amount: 5 };
const afterPoison = { id: 'inv-3', customer: { id: 42 }, amount: 7 };
const invalidKey = { id: 'inv-4', customer: { id: 'bad key!' }, amount: 1 };
const ledgerEntry = { id: 'L-1', account: { id: 'A-1' }, entry: { amount: 3, currency: 'EUR' } };
const UNKNOWN_SCHEMA_ID = 2_147_483_000;

/** Reads a whole topic from the beginning with its own group, decoding each value. */
async function readTopic<T>(consumer: Consumer, topic: string, decode: (value: Buffer) => Promise<T>, count: number) {
  const received: { key: string | undefined; headers: Record<string, string>; value: T }[] = [];
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
      );
      received.push({ key: message.key?.toString(), headers, value: await decode(message.value as Buffer) });
    },
  });
  await waitFor(() => received.length >= count, { description: `${count} messages on ${topic}` });
  return received;
}

/** Records on a topic, exact (the ingestor writes in transactions: offsets also count their commit markers). */
const messageCount = (topic: string): Promise<number> => countRecords(env.kafka(), topic);

describe('ingestor: consuming other systems’ event topics', () => {
  let admin: Admin;
  let producer: Producer;
  let app: INestApplication | undefined;
  const readers: Consumer[] = [];
  let ledgerSchemaId: number;

  beforeAll(async () => {
    admin = env.kafka().admin();
    producer = env.kafka().producer({ idempotent: true });
    await Promise.all([admin.connect(), producer.connect()]);
    // The source topics belong to "other systems": the test plays them and creates them itself.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: billingTopic, numPartitions: 1 },
        { topic: ledgerTopic, numPartitions: 1 },
      ],
    });
    const registry = new SchemaRegistry({ host: config.schemaRegistry.url });
    ({ id: ledgerSchemaId } = await registry.register(
      {
        type: SchemaType.JSON,
        schema: JSON.stringify({
          $schema: 'http://json-schema.org/draft-07/schema#',
          title: 'LedgerEntryPosted',
          type: 'object',
          properties: {
            id: { type: 'string' },
            account: { type: 'object', properties: { id: { type: 'string' } } },
            entry: { type: 'object' },
          },
          required: ['id', 'account', 'entry'],
        }),
      },
      { subject: valueSubject(ledgerTopic) },
    ));

    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');

    await producer.send({
      topic: billingTopic,
      acks: -1,
      messages: [
        { key: 'C-1', value: JSON.stringify(goodInvoice), headers: { 'x-correlation-id': 'req-inv-1' } },
        { key: 'poison', value: poisonBytes, headers: { 'x-correlation-id': 'req-poison', origin: 'billing' } },
        { key: 'C-2', value: JSON.stringify(unmappable) },
        { key: '42', value: JSON.stringify(afterPoison) },
        { key: 'bad', value: JSON.stringify(invalidKey) },
        { key: 'C-1', value: JSON.stringify(goodInvoice) }, // redelivered by the other system: a duplicate
      ],
    });
    await producer.send({
      topic: ledgerTopic,
      acks: -1,
      messages: [
        { key: 'A-1', value: await registry.encode(ledgerSchemaId, ledgerEntry) },
        { key: 'A-2', value: Buffer.concat([Buffer.from([0]), int32(UNKNOWN_SCHEMA_ID), Buffer.from('{}')]) },
      ],
    });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.allSettled([...readers.map((reader) => reader.disconnect()), producer?.disconnect()]);
    await admin?.disconnect();
    await env.cleanup();
  });

  function reader(): Consumer {
    const consumer = env.kafka().consumer({ groupId: `${env.id}-reader-${readers.length}` });
    readers.push(consumer);
    return consumer;
  }

  it('commits the source offsets to the end of each source topic', async () => {
    await waitFor(
      async () => {
        const committed = await admin.fetchOffsets({ groupId, topics: [billingTopic, ledgerTopic] });
        const at = (topic: string) => committed.find((t) => t.topic === topic)?.partitions[0]?.offset;
        return at(billingTopic) === '6' && at(ledgerTopic) === '2';
      },
      { timeoutMs: 60_000, description: 'the source offsets to be committed' },
    );
  });

  it('publishes the good events, including the one after the poison message, as work items', async () => {
    await reader().connect();
    const items = await readTopic(readers[readers.length - 1]!, workTopic, (value) => serde.decode(value, WorkItem), 3);
    const byId = new Map(items.map((item) => [item.value.itemId, item]));
    expect([...byId.keys()].sort()).toEqual(['L-1', 'inv-1', 'inv-3']);
    expect(byId.get('inv-1')!.value).toMatchObject({
      key: 'C-1',
      type: 'billing-message',
      payload: goodInvoice,
      attempt: 1,
      history: [],
    });
    expect(byId.get('inv-1')!.key).toBe('C-1');
    expect(byId.get('inv-3')!.value).toMatchObject({ key: '42', type: 'billing-message', payload: afterPoison });
    expect(byId.get('L-1')!.value).toMatchObject({ key: 'A-1', type: 'ledger-entry', payload: ledgerEntry.entry });
    expect(byId.get('L-1')!.value.correlationId).toMatch(new RegExp(`^${escape(ledgerTopic)}:0:0(-1)?$`));
    // One submission per chunk: its messages' shared correlation id, else their offset range.
    expect(byId.get('inv-1')!.value.correlationId).toMatch(
      new RegExp(`^(req-inv-1|${escape(billingTopic)}:0:\\d+(-\\d+)?)$`),
    );
    // Committed means published: nothing else is on the work topic (the redelivered inv-1 was a duplicate).
    expect(await messageCount(workTopic)).toBe(3);
  });

  it('publishes poison, unmappable and invalid events to ingest.rejected with their bytes and a reason', async () => {
    await reader().connect();
    const rejected = await readTopic(
      readers[readers.length - 1]!,
      rejectedTopic,
      (value) => serde.decode(value, IngestRejected),
      4,
    );
    const at = (topic: string, offset: string) =>
      rejected.find((event) => event.value.sourceTopic === topic && event.value.offset === offset);

    const poison = at(billingTopic, '1')!;
    expect(Buffer.from(poison.value.valueBase64!, 'base64')).toEqual(poisonBytes);
    expect(Buffer.from(poison.value.keyBase64!, 'base64').toString()).toBe('poison');
    expect(poison.value).toMatchObject({
      partition: 0,
      headers: { 'x-correlation-id': 'req-poison', origin: 'billing' },
      reason: expect.stringMatching(/^not decodable as json: the value is not JSON: /),
    });
    expect(poison.headers['x-correlation-id']).toBe('req-poison');

    const missing = at(billingTopic, '2')!;
    expect(JSON.parse(Buffer.from(missing.value.valueBase64!, 'base64').toString())).toEqual(unmappable);
    expect(missing.value.reason).toBe(
      'not mappable: mapping.key: path "customer.id" is missing from the event (expected a string or number)',
    );
    expect(missing.headers['x-correlation-id']).toBe(`${billingTopic}:0:2`);

    expect(at(billingTopic, '4')!.value.reason).toMatch(/^invalid work item: key: must start with a letter or digit/);
    expect(at(ledgerTopic, '1')!.value.reason).toBe(
      `not decodable as registry: schema id ${UNKNOWN_SCHEMA_ID} is unknown to the registry`,
    );
    expect(await messageCount(rejectedTopic)).toBe(4);
  });

  it('counts each committed event by topic and outcome on /metrics', async () => {
    const { text } = await request(app!.getHttpServer()).get('/metrics').expect(200);
    const count = (topic: string, outcome: string) => {
      const line = new RegExp(
        `^workpipe_ingest_source_events_total\\{topic="${escape(topic)}",outcome="${outcome}"[^}]*\\} (\\d+)$`,
        'm',
      );
      return Number(line.exec(text)?.[1] ?? 0);
    };
    const billing = ['accepted', 'duplicate', 'rejected'].map((outcome) => count(billingTopic, outcome));
    expect(billing).toEqual([2, 1, 3]);
    expect([count(ledgerTopic, 'accepted'), count(ledgerTopic, 'rejected')]).toEqual([1, 1]);
  });

  it('left the missing source topic uncreated', async () => {
    expect(await admin.listTopics()).not.toContain(absentTopic);
  });

  it('tells an unknown schema id (poison) from an unreachable registry (retry)', async () => {
    const framed = (schemaId: number): Buffer => {
      const header = Buffer.alloc(5);
      header.writeInt32BE(schemaId, 1);
      return Buffer.concat([header, Buffer.from('{}')]);
    };
    await expect(new RegistrySerde(config.schemaRegistry).decodeUnchecked(framed(UNKNOWN_SCHEMA_ID))).rejects.toBeInstanceOf(
      PayloadValidationError,
    );
    const unreachable = new RegistrySerde({ url: 'http://127.0.0.1:9/apis/ccompat/v7' });
    await expect(unreachable.decodeUnchecked(framed(ledgerSchemaId))).rejects.toMatchObject({
      name: 'SchemaRegistryError',
      retryable: true,
    });
  });

  it('does not commit past an item whose earlier publish is unconfirmed: retries until it is published', async () => {
    // As if an earlier attempt had reserved inv-5 and timed out publishing it: the reservation is pending.
    const redis = env.redis();
    const dedup = new IdempotencyStore(redis, config.redis.keyPrefix, { namespace: ingestDedupNamespace(config.kafka.topicPrefix), acceptedTtlMs: 60_000, pendingTtlMs: 3_000 });
    await dedup.reserve(['inv-5']);
    redis.disconnect();
    const inFlight = { id: 'inv-5', customer: { id: 'C-5' }, amount: 5 };
    await producer.send({ topic: billingTopic, acks: -1, messages: [{ key: 'C-5', value: JSON.stringify(inFlight) }] });

    await waitFor(
      async () => (await admin.fetchOffsets({ groupId, topics: [billingTopic] }))[0]?.partitions[0]?.offset === '7',
      { timeoutMs: 60_000, description: 'the offset after inv-5 to be committed' },
    );
    // Committed only once published: counting it as a duplicate and moving on would have lost it.
    await reader().connect();
    const items = await readTopic(readers[readers.length - 1]!, workTopic, (value) => serde.decode(value, WorkItem), 4);
    expect(items.find((item) => item.value.itemId === 'inv-5')?.value).toMatchObject({ key: 'C-5', payload: inFlight });
    expect(await messageCount(workTopic)).toBe(4);
  });

  it('leaves the group on shutdown, keeping its committed offsets', async () => {
    await app!.close();
    app = undefined;
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]).toMatchObject({ groupId, state: 'Empty', members: [] });
    const committed = await admin.fetchOffsets({ groupId, topics: [billingTopic] });
    expect(committed[0]!.partitions[0]!.offset).toBe('7');
  });
});

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
