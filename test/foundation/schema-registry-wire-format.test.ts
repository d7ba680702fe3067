import type { Consumer, Producer } from 'kafkajs';
import { WorkItem, topicName, TOPICS, valueSubject } from '@workpipe/contracts';
import { PayloadValidationError, RegistrySerde, TopicProvisioner, pipelineTopic } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const env = new TestEnv('registry');
const config = env.config('cli');
const topic = topicName(config.kafka.topicPrefix, TOPICS.work);
const serde = new RegistrySerde(config.schemaRegistry);

const item: WorkItem.Value = {
  itemId: 'PF-0001-2026-11-22',
  key: 'PF-0001',
  type: 'portfolio-report',
  batchId: 'batch-1',
  payload: { portfolioId: 'PF-0001', date: '2026-11-22' },
  attempt: 1,
  createdAt: new Date().toISOString(),
  correlationId: 'corr-1',
  history: [],
};

describe('Schema Registry wire format through the real broker', () => {
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    const admin = env.kafka().admin();
    await admin.connect();
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'silent' })).ensure([
      pipelineTopic(config.kafka, 'work'),
    ]);
    await admin.disconnect();
    producer = env.kafka().producer({ idempotent: true });
    consumer = env.kafka().consumer({ groupId: `${env.id}-reader` });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
    await env.cleanup();
  });

  it('registers the zod-generated schema under the topic subject with BACKWARD compatibility', async () => {
    const id = await serde.register(topic, WorkItem);
    expect(id).toBeGreaterThan(0);
    const base = config.schemaRegistry.url;
    const versions = (await (await fetch(`${base}/subjects/${valueSubject(topic)}/versions/latest`)).json()) as {
      schema: string;
    };
    expect(versions).toMatchObject({ subject: valueSubject(topic), id, schemaType: 'JSON' });
    expect(JSON.parse(versions.schema).title).toBe('WorkItem');
    const compatibility = (await (await fetch(`${base}/config/${valueSubject(topic)}`)).json()) as {
      compatibilityLevel: string;
    };
    expect(compatibility.compatibilityLevel).toBe('BACKWARD');
  });

  it('produces and consumes a value in the Confluent wire format', async () => {
    const value = await serde.encode(topic, WorkItem, item);
    const id = await serde.register(topic, WorkItem);
    expect(value[0]).toBe(0); // magic byte
    expect(value.readInt32BE(1)).toBe(id);
    expect(JSON.parse(value.subarray(5).toString('utf8'))).toEqual(item);

    await producer.send({ topic, acks: -1, messages: [{ key: item.key, value }] });
    const received: WorkItem.Value[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(await serde.decode(message.value as Buffer, WorkItem));
      },
    });
    await waitFor(() => received.length > 0, { description: 'the message to come back' });
    expect(received).toEqual([item]);
  });

  it('registers the same subject from several instances at once, all agreeing on one id', async () => {
    const subjectTopic = `${topic}.concurrent`;
    const ids = await Promise.all(
      Array.from({ length: 5 }, () => new RegistrySerde(config.schemaRegistry).register(subjectTopic, WorkItem)),
    );
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses to encode a value that breaks the contract, naming the field', async () => {
    const bad = { ...item, attempt: 0 };
    await expect(serde.encode(topic, WorkItem, bad)).rejects.toThrow(PayloadValidationError);
    await expect(serde.encode(topic, WorkItem, bad)).rejects.toThrow(/attempt/);
  });

  it('rejects bytes that are not in the wire format as a poison message', async () => {
    await expect(serde.decode(Buffer.from('{"not":"framed"}'), WorkItem)).rejects.toThrow(PayloadValidationError);
  });
});
