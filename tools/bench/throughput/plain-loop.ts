import { Kafka, logLevel } from 'kafkajs';

/**
 * The broker's own speed for the pipeline's shape of work: a plain kafkajs
 * consume -> produce loop, one `send` per fetched batch (acks from all
 * in-sync replicas), over `count` messages of `bytes` each produced
 * beforehand. Returns messages per second from the first consumed message to
 * the last one produced.
 */
export async function plainLoopRate(brokers: string[], prefix: string, count: number, bytes: number): Promise<number> {
  const kafka = new Kafka({ clientId: `${prefix}plain`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const input = `${prefix}plain.in`;
  const outputTopic = `${prefix}plain.out`;
  await admin.createTopics({ topics: [input, outputTopic].map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })), waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const value = Buffer.alloc(bytes, 'x');
  for (let sent = 0; sent < count; sent += 2000) {
    const messages = Array.from({ length: Math.min(2000, count - sent) }, (_, i) => ({ key: `k-${(sent + i) % 1000}`, value }));
    await producer.send({ topic: input, acks: -1, messages });
  }
  const consumer = kafka.consumer({ groupId: `${prefix}plain` });
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  let done = 0;
  let startedAt = 0;
  const finished = new Promise<number>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (startedAt === 0) startedAt = Date.now();
        await producer.send({ topic: outputTopic, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value })) });
        resolveOffset(batch.lastOffset());
        await heartbeat();
        done += batch.messages.length;
        if (done >= count) resolve(Date.now());
      },
    });
  });
  const endedAt = await finished;
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [input, outputTopic] }).catch(() => undefined);
  await admin.deleteGroups([`${prefix}plain`]).catch(() => undefined);
  await admin.disconnect();
  return (count * 1000) / Math.max(1, endedAt - startedAt);
}
