import type { Consumer, Kafka } from 'kafkajs';
import type { z } from 'zod';
import { PayloadValidationError, readHeaders, RegistrySerde, type EventContract } from '@workpipe/kafka';

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
  /** Messages that are not a valid event of the contract (poison), by position. */
  readonly undecodable: { partition: number; offset: string }[] = [];
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
        let value: z.output<S>;
        try {
          if (!message.value) throw new PayloadValidationError(this.contract.EVENT_TYPE, ['tombstone']);
          value = await this.serde.decode(message.value, this.contract);
        } catch (error) {
          // Poison on the topic (a test may put it there): kept apart, the reader moves on.
          if (!(error instanceof PayloadValidationError)) throw error;
          this.undecodable.push({ partition, offset: message.offset });
          return;
        }
        this.events.push({
          value,
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
