import type { Admin, EachBatchPayload, Kafka } from 'kafkajs';
import { readHeaders } from '@workpipe/kafka';
import { BackendUnavailableError } from './errors/backend-unavailable-error';
import { CLI_KAFKA_RETRY } from './kafka-retry';
import { TopicReadError } from './errors/topic-read-error';
import type { PartitionRange, PartitionWatermarks } from './offset-range';

/** A range of one partition of one topic, offsets `from` to `to` included. */
export interface TopicPartitionRange extends PartitionRange {
  topic: string;
}

/** One message of a read range. */
export interface RangeMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Message timestamp, epoch milliseconds. */
  timestamp: number;
}

/** Settings of a {@link TopicRangeReader}. */
export interface TopicRangeReaderOptions {
  /** Give up when no message arrives for this long while offsets remain, in milliseconds. Default {@link READ_STALL_TIMEOUT_MS}. */
  stallTimeoutMs?: number;
}

/** Default of {@link TopicRangeReaderOptions.stallTimeoutMs}: 30 s. */
export const READ_STALL_TIMEOUT_MS = 30_000;

/**
 * Reads exact offset ranges with a kafkajs consumer, as `assign` + `seek`
 * would: a throwaway consumer group of its own per read (so it is the only
 * member and gets every partition), a seek of each partition to its first
 * offset, partitions outside the ranges paused, and an end at each range's last
 * offset. It never commits (autoCommit off) and deletes its group afterwards,
 * so no shared group and no service offset is ever touched.
 */
export class TopicRangeReader {
  private readonly stallTimeoutMs: number;

  /**
   * @param groupIdPrefix e.g. `workpipe.cli-replay-`; a random suffix is added per read
   */
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly groupIdPrefix: string,
    private readonly random: () => number,
    options: TopicRangeReaderOptions = {},
  ) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? READ_STALL_TIMEOUT_MS;
  }

  /**
   * Calls `onMessage` for every message of the ranges, in offset order within a
   * partition, and resolves once every range is read to its end. An error of
   * `onMessage` stops the read and rejects with it.
   */
  async read(ranges: readonly TopicPartitionRange[], onMessage: (message: RangeMessage) => Promise<void> | void): Promise<void> {
    const progress = new Map<string, { range: TopicPartitionRange; next: bigint }>();
    for (const range of ranges) {
      if (range.from <= range.to) progress.set(`${range.topic}:${range.partition}`, { range, next: range.from });
    }
    if (progress.size === 0) return;

    const groupId = `${this.groupIdPrefix}${Math.floor(this.random() * 0x1000000000).toString(16)}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250, retry: { ...CLI_KAFKA_RETRY } });
    let settled = false;
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = () => {
        settled = true;
        resolve();
      };
      fail = (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
    });
    let lastProgressAt = Date.now();
    const remaining = () => [...progress.values()].filter((p) => p.next <= p.range.to);

    const eachBatch = async ({ batch, pause, heartbeat }: EachBatchPayload): Promise<void> => {
      if (settled) return;
      const state = progress.get(`${batch.topic}:${batch.partition}`);
      if (!state || state.next > state.range.to) {
        pause();
        return;
      }
      try {
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < state.next) continue;
          if (offset > state.range.to) break;
          await onMessage({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key ?? null,
            value: message.value ?? null,
            headers: readHeaders(message.headers),
            timestamp: Number(message.timestamp),
          });
          state.next = offset + 1n;
          lastProgressAt = Date.now();
        }
        // Past the end (gaps, e.g. compacted offsets, count as read).
        if (!batch.isEmpty() && BigInt(batch.lastOffset()) >= state.range.to) state.next = state.range.to + 1n;
        if (state.next > state.range.to) pause();
        if (remaining().length === 0) finish();
        else await heartbeat();
      } catch (error) {
        fail(error);
      }
    };

    const stallCheck = setInterval(() => {
      if (Date.now() - lastProgressAt > this.stallTimeoutMs) {
        const left = remaining()
          .map(({ range, next }) => `${range.topic} partition ${range.partition} at offset ${next} of ${range.to}`)
          .join(', ');
        fail(new TopicReadError(`reading stopped making progress for ${this.stallTimeoutMs} ms (${left})`));
      }
    }, 500);
    try {
      await consumer.connect();
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        fail(new BackendUnavailableError('Kafka', `reading failed: ${payload.error.message}`, { cause: payload.error }));
      });
      await consumer.subscribe({ topics: [...new Set(ranges.map((range) => range.topic))], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
      for (const { range } of progress.values()) {
        consumer.seek({ topic: range.topic, partition: range.partition, offset: range.from.toString() });
      }
      lastProgressAt = Date.now();
      await done;
    } catch (error) {
      if (error instanceof TopicReadError || error instanceof BackendUnavailableError) throw error;
      if ((error as Error).name?.startsWith('KafkaJS')) {
        throw new BackendUnavailableError('Kafka', `reading failed: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    } finally {
      settled = true;
      clearInterval(stallCheck);
      await consumer.disconnect().catch(() => undefined);
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }
}

/** The partitions of a topic with their low and high watermarks; `undefined` when the topic does not exist. */
export async function topicWatermarks(admin: Admin, topic: string): Promise<PartitionWatermarks[] | undefined> {
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return undefined;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }))
      .sort((a, b) => a.partition - b.partition);
  } catch (error) {
    throw new BackendUnavailableError('Kafka', `reading the offsets of ${topic} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Per partition, the first offset whose timestamp is at or after `timestampMs`
 * (the high watermark when there is none), from the broker's time index.
 */
export async function offsetsAtTime(admin: Admin, topic: string, timestampMs: number): Promise<Map<number, bigint>> {
  try {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, Math.max(0, Math.floor(timestampMs)));
    return new Map(offsets.map(({ partition, offset }) => [partition, BigInt(offset)]));
  } catch (error) {
    throw new BackendUnavailableError('Kafka', `looking up offsets by time in ${topic} failed: ${(error as Error).message}`, { cause: error });
  }
}
