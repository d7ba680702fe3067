import { randomBytes } from 'node:crypto';
import type { InstrumentationEvent, Kafka, KafkaMessage } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * The records a `read_committed` reader sees in a topic, counted exactly: read
 * from the start to each partition's current end. Offsets alone over-count
 * when producers use transactions (each commit or abort marker takes an
 * offset, and aborted records are never seen), so the reader is followed to
 * the end through kafkajs's report of every fetched batch, control-only
 * batches included. With `only`, counts the records it accepts.
 */
export async function countRecords(kafka: Kafka, topic: string, timeoutMs = 30_000, only?: (message: KafkaMessage) => boolean): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `record-count-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  try {
    const ends = new Map<number, bigint>();
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high) - 1n);
    }
    if (ends.size === 0) return 0;
    const reached = new Map<number, bigint>();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }: InstrumentationEvent<{ topic: string; partition: number; lastOffset: string }>) => {
      if (payload.topic !== topic) return;
      const last = BigInt(payload.lastOffset);
      if (last > (reached.get(payload.partition) ?? -1n)) reached.set(payload.partition, last);
    });
    let count = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!only || only(message)) count++;
      },
    });
    await waitFor(() => [...ends].every(([partition, end]) => (reached.get(partition) ?? -1n) >= end), {
      timeoutMs,
      description: `reading ${topic} to its end`,
    });
    return count;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
