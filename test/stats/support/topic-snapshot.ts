import { randomBytes } from 'node:crypto';
import type { InstrumentationEvent, Kafka } from 'kafkajs';
import { waitFor } from '../../support/wait-for';

/** What a topic holds at one moment, exactly, for comparing before and after a call. */
export interface TopicSnapshot {
  /** Per partition, the first offset kept (`low`: raised by a records deletion or by retention) and the next offset to write (`high`). */
  watermarks: { partition: number; low: string; high: string }[];
  /** Every record a `read_committed` reader sees, by `partition:offset`: its key and value bytes (hex; null for a tombstone). */
  records: Map<string, { key: string | null; value: string | null }>;
}

/**
 * Reads a topic from its first kept offset to each partition's current end
 * (followed through kafkajs's report of every fetched batch, as in
 * `countRecords`), in a throwaway group named after `groupPrefix` (so the
 * test's cleanup finds it should the deletion here fail).
 */
export async function snapshotTopic(kafka: Kafka, topic: string, groupPrefix: string, timeoutMs = 30_000): Promise<TopicSnapshot> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${groupPrefix}-snapshot-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  try {
    const watermarks = (await admin.fetchTopicOffsets(topic))
      .map(({ partition, low, high }) => ({ partition, low, high }))
      .sort((a, b) => a.partition - b.partition);
    const records: TopicSnapshot['records'] = new Map();
    const ends = new Map<number, bigint>();
    for (const { partition, low, high } of watermarks) if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high) - 1n);
    if (ends.size === 0) return { watermarks, records };
    const reached = new Map<number, bigint>();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }: InstrumentationEvent<{ topic: string; partition: number; lastOffset: string }>) => {
      if (payload.topic !== topic) return;
      const last = BigInt(payload.lastOffset);
      if (last > (reached.get(payload.partition) ?? -1n)) reached.set(payload.partition, last);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (BigInt(message.offset) > (ends.get(partition) ?? -1n)) return;
        records.set(`${partition}:${message.offset}`, { key: message.key?.toString('hex') ?? null, value: message.value?.toString('hex') ?? null });
      },
    });
    await waitFor(() => [...ends].every(([partition, end]) => (reached.get(partition) ?? -1n) >= end), {
      timeoutMs,
      description: `reading ${topic} to its end`,
    });
    return { watermarks, records };
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
