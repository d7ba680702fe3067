import { Partitioners, type Admin, type Kafka, type Producer, type RecordMetadata, type Transaction } from 'kafkajs';
import type { z } from 'zod';
import type { Logger } from '@workpipe/logging';
import { connectWithin, DEFAULT_KAFKA_CONNECT_TIMEOUT_MS } from '../connect/connect-within';
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
  /**
   * All or nothing: each `send` is one Kafka transaction under this
   * transactional id, committed only when every record was acknowledged and
   * the caller still waits. A failed or timed-out send is aborted, so
   * `read_committed` readers (every consumer of the pipeline) never see any of
   * it. Unique per live publisher.
   */
  transactionalId?: string;
  /** How long `connect` keeps trying to reach Kafka, in milliseconds; default {@link DEFAULT_KAFKA_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
}

/** How long the broker keeps an atomic publisher's transaction open past the publish timeout before aborting it. */
const TRANSACTION_GRACE_MS = 5_000;

/** What one queued send knows about its caller: whether it stopped waiting, and whether the commit has gone out. */
interface SendState {
  cancelled: boolean;
  committing: boolean;
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
 *   fresh sequences (an atomic publisher keeps its transactional id: claiming
 *   it again makes the broker abort whatever the old producer left open).
 *
 * A send whose caller stopped waiting (the publish timeout) sends nothing
 * more; an atomic one is aborted instead of committed, so "not accepted" stays
 * true after the caller was answered.
 */
export class EventPublisher {
  private producer: Producer;
  private replaceProducer = false;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly encoder: RecordEncoder;
  private readonly limits: TopicLimits;
  private readonly transactionalId?: string;
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
    this.transactionalId = options.transactionalId;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_KAFKA_CONNECT_TIMEOUT_MS;
    if (options.limits) {
      this.limits = options.limits;
    } else {
      this.ownAdmin = kafka.admin();
      this.limits = new TopicLimits(this.ownAdmin);
    }
    this.encoder = new RecordEncoder(serde, this.limits);
    this.producer = this.createProducer();
  }

  /** Connects (and claims the transactional id), waiting for an unreachable Kafka up to the connect timeout. */
  async connect(): Promise<void> {
    await connectWithin(
      async () => {
        await this.ownAdmin?.connect();
        await this.producer.connect();
        await this.claimTransactionalId();
      },
      { what: 'publisher', timeoutMs: this.connectTimeoutMs, logger: this.logger },
    );
    this.connected = true;
  }

  /**
   * An atomic publisher claims its transactional id up front (kafkajs does it
   * on the first transaction: begin one, end it empty), so a broker that
   * refuses transactions stops the service at start-up, not at the first send.
   */
  private async claimTransactionalId(): Promise<void> {
    if (!this.transactionalId) return;
    const transaction = await this.producer.transaction();
    await transaction.abort();
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
    const state: SendState = { cancelled: false, committing: false };
    const run = this.queue
      .catch(() => undefined)
      .then(() => (this.transactionalId ? this.sendAtomically(chunks, state) : this.sendChunks(chunks, state)));
    this.queue = run;
    return this.withTimeout(run, state);
  }

  private async sendChunks(chunks: readonly EncodedRecord[][], state: SendState): Promise<RecordMetadata[]> {
    const metadata: RecordMetadata[] = [];
    let written = 0;
    for (const chunk of chunks) {
      if (state.cancelled) throw new PublishError('publish cancelled: its caller stopped waiting', written === 0, undefined, written);
      try {
        if (this.replaceProducer) await this.renewProducer();
      } catch (error) {
        throw new PublishError(`publishing failed before the next request was sent: ${(error as Error).message}`, written === 0, error, written);
      }
      try {
        metadata.push(
          ...(await this.producer.sendBatch({
            acks: -1,
            topicMessages: topicMessagesOf(chunk),
          })),
        );
      } catch (error) {
        throw this.failed(error, chunk, written, written === 0 && notWritten(error));
      }
      written += chunk.length;
    }
    return metadata;
  }

  /**
   * Every chunk in one transaction. Until the commit goes out nothing is
   * visible to `read_committed` readers: a failure or a cancelled caller aborts
   * it (and if the abort cannot be sent, claiming the transactional id again or
   * the broker's transaction timeout does), so the error says "not written".
   * Only a failed commit leaves the outcome unknown.
   */
  private async sendAtomically(chunks: readonly EncodedRecord[][], state: SendState): Promise<RecordMetadata[]> {
    const metadata: RecordMetadata[] = [];
    let transaction: Transaction | undefined;
    try {
      if (this.replaceProducer) await this.renewProducer();
      transaction = await this.producer.transaction();
      for (const chunk of chunks) {
        if (state.cancelled) break;
        try {
          metadata.push(...(await transaction.sendBatch({ acks: -1, topicMessages: topicMessagesOf(chunk) })));
        } catch (error) {
          throw this.failed(error, chunk, 0, true);
        }
      }
    } catch (error) {
      await this.abort(transaction);
      if (error instanceof PublishError) throw error;
      throw new PublishError(`publishing failed before anything was sent: ${(error as Error).message}`, true, error);
    }
    if (state.cancelled) {
      await this.abort(transaction);
      throw new PublishError('publish cancelled (its caller stopped waiting): the transaction was aborted', true);
    }
    state.committing = true;
    try {
      await transaction.commit();
    } catch (error) {
      this.replaceProducer = true;
      this.logger.error({ err: error, records: metadata.length }, 'transaction commit failed; its outcome is unknown');
      throw new PublishError(`committing the publish failed, its outcome is unknown: ${(error as Error).message}`, false, error);
    }
    return metadata;
  }

  private async abort(transaction: Transaction | undefined): Promise<void> {
    this.replaceProducer = true;
    await transaction?.abort().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'aborting the transaction failed; claiming the transactional id again aborts it');
    });
  }

  /** Logs a failed request, marks the producer for replacement and says what may have been written. */
  private failed(error: unknown, chunk: readonly EncodedRecord[], writtenBefore: number, definitelyNotWritten: boolean): PublishError {
    this.replaceProducer = true;
    const topics = [...new Set(chunk.map((record) => record.topic))];
    // The broker refused a batch as too large: its limit changed since it was read; read it again next time.
    if (rootName(error) === 'KafkaJSProtocolError' && /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/.test(rootType(error))) {
      for (const topic of topics) this.limits.forget(topic);
    }
    this.logger.error({ err: error, topics: topics.join(', '), records: chunk.length, writtenBefore }, 'publish failed');
    return new PublishError(`publishing to ${topics.join(', ')} failed: ${(error as Error).message}`, definitelyNotWritten, error, writtenBefore);
  }

  /** A new producer id and fresh sequence numbers, after a request that failed. */
  private async renewProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = this.createProducer();
    await previous.disconnect().catch(() => undefined);
    if (this.connected) {
      await this.producer.connect();
      await this.claimTransactionalId();
    }
    this.replaceProducer = false;
    this.logger.info('producer replaced after a failed request (fresh producer id and sequences)');
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      ...(this.transactionalId
        ? { transactionalId: this.transactionalId, maxInFlightRequests: 1, transactionTimeout: this.timeoutMs + TRANSACTION_GRACE_MS }
        : {}),
      idempotent: true,
      allowAutoTopicCreation: false,
      // murmur2, as the Java client: keys land on the same partitions whoever produces them.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, so a request always settles and the next one can go: about 25 s of retries.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
  }

  /**
   * Stops waiting after the publish timeout. The send is told, so it sends
   * nothing more (and an atomic one aborts): the error says "not written"
   * unless records may already be in Kafka.
   */
  private async withTimeout<T>(run: Promise<T>, state: SendState): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        state.cancelled = true;
        const atomic = this.transactionalId !== undefined;
        const notWritten = atomic && !state.committing;
        const outcome = notWritten ? 'the publish is cancelled and nothing of it will be visible' : 'some records may still be written';
        reject(new PublishError(`Kafka did not acknowledge within ${this.timeoutMs} ms; ${outcome}`, notWritten));
      }, this.timeoutMs);
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
  const root = rootOf(error);
  if (!root) return false;
  if (root.name === 'KafkaJSConnectionError') return NOT_CONNECTED_CODES.has(root.code ?? '');
  return NOT_SENT_ERRORS.has(root.name ?? '');
}

interface ErrorChain {
  name?: string;
  code?: string;
  type?: string;
  cause?: unknown;
}

/** The innermost cause of an error (kafkajs wraps the broker's answer in retry errors). */
function rootOf(error: unknown): ErrorChain | undefined {
  let root = error as ErrorChain | undefined;
  while (root?.cause) root = root.cause as ErrorChain;
  return root;
}

const rootName = (error: unknown): string => rootOf(error)?.name ?? '';
const rootType = (error: unknown): string => rootOf(error)?.type ?? '';
