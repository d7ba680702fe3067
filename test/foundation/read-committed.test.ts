import { randomBytes } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const env = new TestEnv('read-committed');

/**
 * What every consumer of the pipeline relies on: a `read_committed` reader never sees a record of an
 * aborted transaction. Two transactions on one partition, interleaved, aborted in the reverse order of
 * their start: the broker then lists them (by abort marker) out of first-offset order, which kafkajs
 * 2.2.4 mishandled (the first transaction's records came through; patches/kafkajs+2.2.4.patch).
 */
describe('read_committed on the real broker', () => {
  const topic = `${env.topicPrefix}read-committed`;
  let kafka: Kafka;
  const producers: Producer[] = [];

  beforeAll(async () => {
    kafka = env.kafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    await Promise.allSettled(producers.map((producer) => producer.disconnect()));
    await env.cleanup();
  });

  async function transactional(name: string): Promise<Producer> {
    const producer = kafka.producer({ transactionalId: `${env.id}-${name}-${randomBytes(3).toString('hex')}`, idempotent: true, maxInFlightRequests: 1 });
    producers.push(producer);
    await producer.connect();
    return producer;
  }

  it('drops the records of transactions aborted in reverse order, and keeps the committed ones', async () => {
    const first = await transactional('first');
    const second = await transactional('second');
    const committer = await transactional('committer');
    const send = (transaction: Awaited<ReturnType<Producer['transaction']>>, value: string) =>
      transaction.send({ topic, acks: -1, messages: [{ key: 'k', value, partition: 0 }] });

    const a = await first.transaction();
    await send(a, 'aborted-first-1');
    const b = await second.transaction();
    await send(b, 'aborted-second-1');
    await send(a, 'aborted-first-2');
    await b.abort(); // the second one's marker comes first...
    await send(a, 'aborted-first-3');
    await a.abort(); // ...the first one's, begun earlier, after it
    const c = await committer.transaction();
    await send(c, 'committed');
    await c.commit();

    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: `${env.id}-reader`, readUncommitted: false, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
    try {
      // The committed record comes last: once it is read, everything before it has been judged.
      await waitFor(() => seen.includes('committed'), { timeoutMs: 30_000, description: 'the committed record' });
      expect(seen).toEqual(['committed']);
    } finally {
      await consumer.disconnect();
    }
  });
});
