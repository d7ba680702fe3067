import { randomBytes } from 'node:crypto';
import type { Consumer, ConsumerConfig, InstrumentationEvent, Kafka } from 'kafkajs';
import { PartitionWorker, type EventContract, type PartitionWorkerDependencies, type WorkerMessage } from '@workpipe/kafka';
import { TopicReadError } from '../errors/topic-read-error';
import type { PartitionRange } from '../selection/offset-range';
import { RangeProgress } from './range-progress';

/** What a range read needs: the service's clients (the publisher is unused: a read produces nothing, but the worker needs one). */
export type RangeReaderDependencies = Pick<PartitionWorkerDependencies, 'kafka' | 'admin' | 'serde' | 'encoder' | 'publisher' | 'logger'>;

/** Settings of a {@link TopicRangeReader}. */
export interface TopicRangeReaderOptions {
  /** Group id of each read: this prefix and a random suffix, e.g. `workpipe.replay-read-`. */
  groupIdPrefix: string;
  /** Where the worker would set aside a message it cannot handle (a read never does: undecodable values are delivered). */
  rejectedTopic: string;
  /** Give up when nothing is delivered or fetched for this long while offsets remain and no chunk is being handled, in milliseconds. Default {@link READ_STALL_TIMEOUT_MS}. */
  stallTimeoutMs?: number;
}

/** Default of {@link TopicRangeReaderOptions.stallTimeoutMs}: 30 s. */
export const READ_STALL_TIMEOUT_MS = 30_000;

/** Messages handed to `onChunk` at most at once, per partition. Default of {@link RangeRead.chunkSize}. */
export const READ_CHUNK_SIZE = 250;

/** One read. */
export interface RangeRead {
  topic: string;
  /** Inclusive ranges of the topic's partitions; partitions without one are not read. */
  ranges: readonly PartitionRange[];
  /** Values are decoded with it; one that does not decode is delivered with `poison` set. None: raw bytes. */
  contract?: EventContract;
  /** Most messages per `onChunk` call (one partition, offset order). Default {@link READ_CHUNK_SIZE}. */
  chunkSize?: number;
  /**
   * Handles messages of the ranges only (never one outside), one partition's
   * in offset order, chunks of different partitions at once. `stop` ends the
   * read early (the others are not handed over); a throw ends it with the error.
   * Either way the read settles only once every call in progress has returned.
   */
  onChunk: (messages: readonly WorkerMessage[]) => Promise<'continue' | 'stop'>;
}

/**
 * Reads exact offset ranges of a topic on the project's one consumer runtime,
 * {@link PartitionWorker}: a worker per read, in a throwaway consumer group of
 * its own (so it is the only member and gets every partition), with `external`
 * commits whose `resumeAt` puts each range's partition at its first offset and
 * every other partition at its high watermark. The handler hands over what
 * lies inside the ranges and says when every range is read; the read then
 * stops the worker and deletes its group, so no shared group and no service
 * offset is ever touched.
 *
 * The worker does not say how far it has fetched, and a range may end in
 * offsets no handler ever sees (transaction markers), so the reader listens to
 * the worker's kafkajs consumer (`END_BATCH_PROCESS`: every fetched batch, with
 * its first and last offset and its number of data messages) and lets
 * {@link RangeProgress} decide when a range is read.
 */
export class TopicRangeReader {
  private readonly stallTimeoutMs: number;

  constructor(
    private readonly deps: RangeReaderDependencies,
    private readonly options: TopicRangeReaderOptions,
  ) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? READ_STALL_TIMEOUT_MS;
  }

  /** Resolves once every range is read (`stopped` false) or `onChunk` said stop (true); rejects with its error or a {@link TopicReadError}. */
  async read(read: RangeRead): Promise<{ stopped: boolean }> {
    const ranges = read.ranges.filter((range) => range.from <= range.to);
    if (ranges.length === 0) return { stopped: false };
    const progress = new RangeProgress(ranges);
    const starts = new Map(ranges.map((range) => [range.partition, range.from]));
    const groupId = `${this.options.groupIdPrefix}${randomBytes(6).toString('hex')}`;
    let settled = false;
    let stopped = false;
    let activeChunks = 0;
    /** Resolves the wait for the calls of `onChunk` still in progress when the read ended. */
    let idle: (() => void) | undefined;
    let lastActivityAt = Date.now();
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = () => {
        if (settled) return;
        settled = true;
        resolve();
      };
      fail = (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
    });
    const checkDone = (): void => {
      if (progress.complete && activeChunks === 0) finish();
    };

    const kafka = withBatchTap(this.deps.kafka, read.topic, (partition, first, last, dataCount) => {
      lastActivityAt = Date.now();
      progress.fetched(partition, first, last, dataCount);
      checkDone();
    });
    const handler = async (messages: readonly WorkerMessage[]): Promise<[]> => {
      if (settled) return [];
      const inside = messages.filter((message) => progress.deliver(message.partition, BigInt(message.offset)));
      lastActivityAt = Date.now();
      if (inside.length === 0) {
        checkDone();
        return [];
      }
      activeChunks++;
      try {
        if ((await read.onChunk(inside)) === 'stop') {
          stopped = true;
          finish();
        }
      } catch (error) {
        fail(error);
      } finally {
        activeChunks--;
        lastActivityAt = Date.now();
        if (activeChunks === 0) idle?.();
      }
      checkDone();
      return [];
    };

    const worker = new PartitionWorker(
      {
        name: `replay.read.${groupId}`,
        groupId,
        topics: [{ topic: read.topic, ...(read.contract ? { contract: read.contract } : {}), poison: 'deliver' }],
        mode: 'chunk',
        commit: 'external',
        ordering: 'none',
        concurrency: Math.max(1, ranges.length),
        chunkSize: read.chunkSize ?? READ_CHUNK_SIZE,
        windowSize: 2 * (read.chunkSize ?? READ_CHUNK_SIZE),
        commitIntervalMs: 5_000,
        // Short: kafkajs sleeps this long whenever every partition is paused (the seek after assignment, full windows).
        maxWaitTimeMs: 100,
        // Small fetches: what a window holds keeps its whole fetch response alive.
        maxBytesPerPartition: 256 * 1024,
        // A rate-limited chunk may take long; this worker's health is nobody's readiness.
        stuckAfterMs: 3_600_000,
        resumeAt: async (topic, partitions) => {
          const watermarks = await this.deps.admin.fetchTopicOffsets(topic);
          const high = new Map(watermarks.map((entry) => [entry.partition, entry.high]));
          return new Map(
            partitions.map((partition) => {
              const start = starts.has(partition) ? (progress.resumeOffset(partition) ?? (starts.get(partition) as bigint)) : undefined;
              return [partition, start === undefined ? (high.get(partition) ?? '0') : start.toString()];
            }),
          );
        },
        rejectedTopic: this.options.rejectedTopic,
      },
      { chunk: handler },
      {
        ...this.deps,
        kafka,
        drainTimeoutMs: 5_000,
        onFatal: (error) => fail(new TopicReadError(`reading ${read.topic} failed: ${error.message}`, { cause: error })),
      },
    );
    const stallCheck = setInterval(() => {
      if (activeChunks > 0) lastActivityAt = Date.now();
      else if (Date.now() - lastActivityAt > this.stallTimeoutMs) {
        const left = progress
          .remaining()
          .map(({ partition, next, to }) => `partition ${partition} at offset ${next} of ${to}`)
          .join(', ');
        fail(new TopicReadError(`reading ${read.topic} stopped making progress for ${this.stallTimeoutMs} ms (${left})`));
      }
    }, 500);
    try {
      await worker.start();
      lastActivityAt = Date.now();
      await done;
      return { stopped };
    } finally {
      settled = true;
      clearInterval(stallCheck);
      await worker.stop().catch(() => undefined);
      // The worker stops waiting for its handlers after its drain timeout; the read does not: a caller
      // told the read ended (by one partition's error) must not have another partition's chunk still at work.
      if (activeChunks > 0) await new Promise<void>((resolve) => (idle = resolve));
      await this.deps.admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }
}

type BatchListener = (partition: number, first: bigint, last: bigint, dataCount: number) => void;

interface EndBatchPayload {
  topic: string;
  partition: number;
  batchSize: number;
  firstOffset: string | null;
  lastOffset: string;
}

/**
 * The Kafka client as the worker sees it, except that each consumer it makes
 * reports every batch it fetched of `topic` (kafkajs `END_BATCH_PROCESS`,
 * control-only batches included) to `listener`.
 */
function withBatchTap(kafka: Kafka, topic: string, listener: BatchListener): Kafka {
  const tapped = Object.create(kafka) as Kafka;
  tapped.consumer = (config: ConsumerConfig): Consumer => {
    const consumer = kafka.consumer(config);
    consumer.on(consumer.events.END_BATCH_PROCESS, (event: InstrumentationEvent<EndBatchPayload>) => {
      const { payload } = event;
      if (payload.topic !== topic || payload.firstOffset === null) return;
      listener(payload.partition, BigInt(payload.firstOffset), BigInt(payload.lastOffset), payload.batchSize);
    });
    return consumer;
  };
  return tapped;
}
