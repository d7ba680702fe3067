import type { Consumer, Kafka } from 'kafkajs';
import { HEADERS, WorkItem } from '@workpipe/contracts';
import { readHeaders, type RegistrySerde } from '@workpipe/kafka';

/** A retry as it reached the work topic. */
export interface FiredRetry {
  /** CreateTime of the work-topic message: when the retrier produced it, epoch ms. */
  timestamp: number;
  /** The `x-due-at` header, epoch ms. */
  dueAt: number;
  partition: number;
}

/** One stay of a retry on a delay-tier topic. */
export interface TierEntry {
  topic: string;
  partition: number;
  offset: string;
  /** CreateTime: when the scheduler (first entry) or a hop (later ones) produced it, epoch ms. */
  timestamp: number;
}

/**
 * Follows retries through the retrier: the work topic (each value decoded as a
 * `WorkItem` against the registry) and, for diagnosis, every delay-tier topic
 * (headers only: `x-item-id`), from the beginning.
 */
export class RetryTrace {
  readonly fired = new Map<string, FiredRetry>();
  readonly tierEntries = new Map<string, TierEntry[]>();
  duplicates = 0;
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly serde: RegistrySerde,
    groupId: string,
    private readonly workTopic: string,
    private readonly tierTopics: readonly string[],
  ) {
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  }

  /** Resolves once the reader has joined its group. */
  async start(): Promise<void> {
    await this.consumer.connect();
    const joined = new Promise<void>((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    await this.consumer.subscribe({ topics: [this.workTopic, ...this.tierTopics], fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 8,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const headers = readHeaders(message.headers);
          const timestamp = Number(message.timestamp);
          if (batch.topic === this.workTopic) {
            const item = await this.serde.decode(message.value as Buffer, WorkItem);
            if (this.fired.has(item.itemId)) this.duplicates += 1;
            else this.fired.set(item.itemId, { timestamp, dueAt: Number(headers[HEADERS.dueAt]), partition: batch.partition });
          } else {
            const itemId = headers[HEADERS.itemId] ?? '';
            const entries = this.tierEntries.get(itemId) ?? [];
            entries.push({ topic: batch.topic, partition: batch.partition, offset: message.offset, timestamp });
            this.tierEntries.set(itemId, entries);
          }
        }
      },
    });
    await joined;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
