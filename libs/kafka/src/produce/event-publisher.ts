import { Partitioners, type Admin, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import type { z } from 'zod';
import type { Logger } from '@workpipe/logging';
import { PublishError } from '../errors/publish-error';
import { RegistrySerde } from '../schema-registry/registry-serde';
import type { EventContract } from '../schema-registry/event-contract';
import type { EncodedRecord } from './encoded-record';
import type { OutgoingEvent } from './outgoing-event';
import { RecordEncoder } from './record-encoder';
import { requestChunks } from './request-chunks';
import { topicMessagesOf } from './topic-messages';
import { TopicLimits } from './topic-limits';

export interface EventPublisherOptions {
  /** Longest a publish may take before it fails with {@link PublishError}, in milliseconds; default 15000. */
  timeoutMs?: number;
  /** Shared per-topic size limits; default: read with an admin client of the publisher's own. */
  limits?: TopicLimits;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 15_000;

/**
 * Writes contract-checked, registry-encoded events with an idempotent producer
 * and acks from all in-sync replicas: when `publish` resolves, the events are
 * durably in Kafka; when it rejects, the caller must not acknowledge them.
 *
 * Three rules keep "resolved" true:
 * - no request carries a record its topic refuses (checked when encoded), and
 *   requests are split so no partition's batch passes the topic's limit;
 * - one request at a time: the idempotent producer numbers each partition's
 *   batches, and a request queued behind a failed one would reuse numbers;
 * - after any failed request the producer is replaced before the next one. A
 *   failed request may have been written on some partitions while kafkajs
 *   winds back the sequence numbers of all of them: the next batch on such a
 *   partition would reuse a number the broker has seen, and the broker would
 *   acknowledge it as a duplicate without writing it. A new producer id starts
 *   fresh sequences.
 */
export class EventPublisher {
  private producer: Producer;
  private replaceProducer = false;
  private readonly timeoutMs: number;
  private readonly encoder: RecordEncoder;
  private readonly limits: TopicLimits;
  private ownAdmin?: Admin;
  /** The end of the queue of requests: each waits for the one before it. */
  private queue: Promise<unknown> = Promise.resolve();
  private connected = false;

  constructor(
    private readonly kafka: Kafka,
    serde: RegistrySerde,
    private readonly logger: Logger,
    options: EventPublisherOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    if (options.limits) {
      this.limits = options.limits;
    } else {
      this.ownAdmin = kafka.admin();
      this.limits = new TopicLimits(this.ownAdmin);
    }
    this.encoder = new RecordEncoder(serde, this.limits);
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    await this.ownAdmin?.connect();
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    await this.queue.catch(() => undefined);
    await Promise.allSettled([this.producer.disconnect(), this.ownAdmin?.disconnect()]);
  }

  /** Encodes (see {@link RecordEncoder}) and sends; a record that cannot be produced throws before anything is sent. */
  async publish<S extends z.ZodType>(
    topic: string,
    contract: EventContract<S>,
    events: readonly OutgoingEvent<S>[],
  ): Promise<RecordMetadata[]> {
    if (events.length === 0) return [];
    return this.send(await this.encoder.encode(topic, contract, events));
  }

  /** The encoder this publisher uses, for callers that handle each event's encoding on its own. */
  get recordEncoder(): RecordEncoder {
    return this.encoder;
  }

  /**
   * Sends encoded records, in order, in as many requests as their topics'
   * limits need. On failure nothing later is sent; `PublishError.writtenRecords`
   * says how many leading records were acknowledged before it.
   */
  async send(records: readonly EncodedRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const limits = new Map<string, number>();
    for (const topic of new Set(records.map((record) => record.topic))) limits.set(topic, await this.limits.maxBatchBytes(topic));
    const chunks = requestChunks(records, (topic) => limits.get(topic) as number);
    const run = this.queue.catch(() => undefined).then(() => this.sendChunks(chunks));
    this.queue = run;
    return this.withTimeout(run);
  }

  private async sendChunks(chunks: readonly EncodedRecord[][]): Promise<RecordMetadata[]> {
    const metadata: RecordMetadata[] = [];
    let written = 0;
    for (const chunk of chunks) {
      if (this.replaceProducer) await this.renewProducer();
      try {
        metadata.push(
          ...(await this.producer.sendBatch({
            acks: -1,
            topicMessages: topicMessagesOf(chunk),
          })),
        );
      } catch (error) {
        this.replaceProducer = true;
        const topics = [...new Set(chunk.map((record) => record.topic))].join(', ');
        this.logger.error({ err: error, topics, records: chunk.length, writtenBefore: written }, 'publish failed');
        throw new PublishError(`publishing to ${topics} failed: ${(error as Error).message}`, written === 0 && notWritten(error), error, written);
      }
      written += chunk.length;
    }
    return metadata;
  }

  /** A new producer id and fresh sequence numbers, after a request that failed. */
  private async renewProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = this.createProducer();
    this.replaceProducer = false;
    await previous.disconnect().catch(() => undefined);
    if (this.connected) await this.producer.connect();
    this.logger.info('producer replaced after a failed request (fresh producer id and sequences)');
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      // murmur2, as the Java client: keys land on the same partitions whoever produces them.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, so a request always settles and the next one can go: about 25 s of retries.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
  }

  private async withTimeout<T>(run: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PublishError(`Kafka did not acknowledge within ${this.timeoutMs} ms`, false)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Socket errors of a connection that was never made: the request cannot have reached a broker. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const NOT_SENT_ERRORS = new Set(['KafkaJSBrokerNotFound', 'KafkaJSMetadataNotLoaded', 'KafkaJSLockTimeout']);

/**
 * True only when the request cannot have been written anywhere: no broker was
 * reached. Any answer from a broker (an error for one partition, a timeout)
 * leaves the other partitions of the request unknown.
 */
function notWritten(error: unknown): boolean {
  let root = error as { name?: string; code?: string; cause?: unknown } | undefined;
  while (root?.cause) root = root.cause as typeof root;
  if (!root) return false;
  if (root.name === 'KafkaJSConnectionError') return NOT_CONNECTED_CODES.has(root.code ?? '');
  return NOT_SENT_ERRORS.has(root.name ?? '');
}
