import { Partitioners, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import type { z } from 'zod';
import { HEADERS } from '@workpipe/contracts';
import type { Logger } from '@workpipe/logging';
import { PublishError } from './errors/publish-error';
import { buildHeaders } from './kafka-headers';
import type { EventContract } from './schema-registry/event-contract';
import type { RegistrySerde } from './schema-registry/registry-serde';

export interface OutgoingEvent<S extends z.ZodType> {
  /** Partition key: one entity's events stay in one partition, in order. */
  key: string;
  value: z.input<S>;
  headers?: Record<string, string | number | undefined>;
}

export interface EventPublisherOptions {
  /** Longest a publish may take before it fails with {@link PublishError}, in milliseconds; default 15000. */
  timeoutMs?: number;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 15_000;

/**
 * Writes contract-checked, registry-encoded events with an idempotent producer
 * and acks from all in-sync replicas: when `publish` resolves, the events are
 * durably in Kafka; when it rejects, the caller must not acknowledge them.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private readonly timeoutMs: number;

  constructor(
    kafka: Kafka,
    private readonly serde: RegistrySerde,
    private readonly logger: Logger,
    options: EventPublisherOptions = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      // murmur2, as the Java client: keys land on the same partitions whoever produces them.
      createPartitioner: Partitioners.DefaultPartitioner,
      // The idempotent producer retries without limit (fewer would void its guarantees); `timeoutMs` bounds the wait.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish<S extends z.ZodType>(
    topic: string,
    contract: EventContract<S>,
    events: readonly OutgoingEvent<S>[],
  ): Promise<RecordMetadata[]> {
    if (events.length === 0) return [];
    const messages = await Promise.all(
      events.map(async (event) => ({
        key: event.key,
        value: await this.serde.encode(topic, contract, event.value),
        headers: buildHeaders({ [HEADERS.eventType]: contract.EVENT_TYPE, ...event.headers }),
      })),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PublishError(`Kafka did not acknowledge within ${this.timeoutMs} ms`, false)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.producer.send({ topic, acks: -1, messages }), timeout]);
    } catch (error) {
      if (error instanceof PublishError) throw error;
      this.logger.error({ err: error, topic, count: events.length }, 'publish failed');
      throw new PublishError(`publishing to ${topic} failed: ${(error as Error).message}`, true, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
