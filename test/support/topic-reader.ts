import type { Consumer, Kafka } from 'kafkajs';
import type { z } from 'zod';
import { readHeaders, RegistrySerde, type EventContract } from '@workpipe/kafka';

export interface ReadEvent<T> {
  value: T;
  key: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
  /** Broker/producer timestamp, epoch milliseconds. */
  timestamp: number;
}

/**
 * Reads a topic from the beginning into memory, decoding each value through
 * the registry against its contract; for assertions on what really is in Kafka.
 */
export class TopicReader<S extends z.ZodType> {
  readonly events: ReadEvent<z.output<S>>[] = [];
  private consumer?: Consumer;
  /** `partition:offset` of every event read: the reader's own redeliveries (a rebalance of its group) are not events. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly kafka: Kafka,
    private readonly serde: RegistrySerde,
    readonly topic: string,
    private readonly contract: EventContract<S>,
    private readonly groupId: string,
    /** Read what uncommitted and aborted transactions wrote too (default: read_committed, as every consumer of the pipeline). */
    private readonly readUncommitted = false,
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: this.groupId, readUncommitted: this.readUncommitted });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const position = `${partition}:${message.offset}`;
        if (this.seen.has(position)) return;
        this.seen.add(position);
        this.events.push({
          value: await this.serde.decode(message.value as Buffer, this.contract),
          key: message.key?.toString() ?? null,
          headers: readHeaders(message.headers),
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
        });
      },
    });
    return this;
  }

  values(): z.output<S>[] {
    return this.events.map((event) => event.value);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
