import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '@workpipe/logging';
import type { EncodedRecord } from '../produce/encoded-record';
import { topicMessagesOf } from '../produce/topic-messages';
import { ProducerFencedError } from './errors/producer-fenced-error';

/** How long the broker lets a transaction stay open, in milliseconds: a dead owner's open transaction is aborted after this. */
export const TRANSACTION_TIMEOUT_MS = 10_000;

/** Kafka error types saying another producer with the same transactional id took over. */
const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'TRANSACTIONAL_ID_NOT_FOUND']);

/**
 * One transactional producer per consumed partition, with a transactional id
 * that belongs to the partition (`<prefix><group>.<topic>.<partition>`), as
 * Kafka Streams' first exactly-once design: whoever is assigned the partition
 * claims its id (InitProducerId), which makes the broker finish or abort what
 * the previous owner left open and fences that owner for good. Only after the
 * claim are the committed offsets stable to read, so the new owner never
 * redoes work whose outputs the old owner committed.
 */
export class PartitionProducers {
  private readonly producers = new Map<string, Producer>();

  constructor(
    private readonly kafka: Kafka,
    private readonly transactionalIdPrefix: string,
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  /** Claims the partition's transactional id (fencing any previous owner) with a new producer. */
  async claim(topic: string, partition: number): Promise<void> {
    const id = partitionKey(topic, partition);
    await this.release(topic, partition);
    const producer = this.kafka.producer({
      transactionalId: `${this.transactionalIdPrefix}${this.groupId}.${id}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 3_000 },
    });
    await producer.connect();
    // kafkajs initialises the transactional id on the first transaction: begin one, end it empty.
    const transaction = await producer.transaction();
    await transaction.abort();
    this.producers.set(id, producer);
  }

  async release(topic: string, partition: number): Promise<void> {
    const id = partitionKey(topic, partition);
    const producer = this.producers.get(id);
    if (!producer) return;
    this.producers.delete(id);
    await producer.disconnect().catch(() => undefined);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.producers.values()].map((producer) => producer.disconnect().catch(() => undefined)));
    this.producers.clear();
  }

  /**
   * Commits, in one transaction, the records and the partition's consumed
   * offset (the next offset to read). On failure the transaction is aborted:
   * nothing of it is visible. Throws {@link ProducerFencedError} when another
   * owner took the partition's id.
   */
  async commit(topic: string, partition: number, records: readonly EncodedRecord[], nextOffset: bigint): Promise<void> {
    const producer = this.producers.get(partitionKey(topic, partition));
    if (!producer) throw new ProducerFencedError(`no producer claims ${topic}/${partition}`);
    const transaction = await producer.transaction();
    try {
      if (records.length > 0) await transaction.sendBatch({ acks: -1, topicMessages: topicMessagesOf(records) });
      await transaction.sendOffsets({
        consumerGroupId: this.groupId,
        topics: [{ topic, partitions: [{ partition, offset: nextOffset.toString() }] }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch((abortError: Error) => {
        this.logger.debug({ topic, partition, err: abortError.message }, 'abort after a failed commit failed too');
      });
      if (isFenced(error)) throw new ProducerFencedError(`${topic}/${partition}: ${(error as Error).message}`, error);
      throw error;
    }
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}.${partition}`;
}

function isFenced(error: unknown): boolean {
  for (let current = error as { type?: string; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (current.type && FENCED.has(current.type)) return true;
  }
  return false;
}
