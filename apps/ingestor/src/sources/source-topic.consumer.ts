import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { AppConfig, IngestSource } from '@workpipe/config';
import { IngestRejected, TOPICS, topicName } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectKafka, InjectKafkaAdmin, InjectRootLogger } from '@workpipe/runtime';
import { SubmissionService } from '../submission/submission.service';
import { chunkMessages } from './message-chunks';
import { SourceBatchProcessor, type ChunkOutcome } from './source-batch-processor';
import { SourceEventDecoder } from './source-event-decoder';
import { sourceEventsCounter } from './source-event-metrics';

/** Consumer group of the source topics, after the topic prefix. */
export const SOURCE_CONSUMER_GROUP = 'ingestor.sources';

/**
 * Consumes the other systems' event topics listed in `INGEST_SOURCES` and turns
 * their events into work items through {@link SubmissionService} (same
 * validation and dedup as HTTP). Per chunk of a fetched batch: submit the
 * mapped items, publish the rejected messages to `ingest.rejected`, and only
 * then commit. A failure to publish throws, so kafkajs retries from the last
 * commit: nothing is lost, duplicates are caught by the dedup.
 *
 * Source topics belong to their systems: a missing one is never created, only
 * reported, and the others are consumed (see {@link onModuleInit}).
 */
@Injectable()
export class SourceTopicConsumer
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger: Logger;
  private readonly sources: readonly IngestSource[];
  private readonly rejectedTopic: string;
  private readonly groupId: string;
  private readonly metric = sourceEventsCounter();
  private publisher?: EventPublisher;
  private consumer?: Consumer;
  private processor?: SourceBatchProcessor;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectKafka() private readonly kafka: Kafka,
    @InjectKafkaAdmin() private readonly admin: Admin,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) private readonly serde: RegistrySerde,
    private readonly submissions: SubmissionService,
  ) {
    this.logger = logger.child({ component: 'source-consumer' });
    this.sources = config.ingest.sources;
    this.rejectedTopic = topicName(config.kafka.topicPrefix, TOPICS.ingestRejected);
    this.groupId = `${config.kafka.topicPrefix}${SOURCE_CONSUMER_GROUP}`;
  }

  /**
   * Subscribes to the configured source topics that exist. A missing one is
   * logged as a warning and skipped (consumed after a restart once it exists):
   * another system's topic not being there yet must not stop the HTTP intake.
   */
  async onModuleInit(): Promise<void> {
    if (this.sources.length === 0) return;
    const repeated = this.sources.map((s) => s.topic).filter((topic, i, all) => all.indexOf(topic) !== i);
    if (repeated.length > 0) {
      throw new Error(`INGEST_SOURCES: topic ${[...new Set(repeated)].join(', ')} is listed more than once`);
    }
    const existing = new Set(await this.admin.listTopics());
    const present = this.sources.filter((source) => existing.has(source.topic)).map((source) => source.topic);
    const missing = this.sources.filter((source) => !existing.has(source.topic)).map((source) => source.topic);
    for (const topic of missing) {
      this.logger.warn(
        { topic },
        'INGEST_SOURCES: source topic does not exist; not consuming it (it is not ours to create). ' +
          'Restart the ingestor once it exists.',
      );
    }
    if (present.length === 0) {
      this.logger.warn({ missing }, 'INGEST_SOURCES: none of the source topics exists; source consumer not started');
      return;
    }

    this.publisher = new EventPublisher(this.kafka, this.serde, this.logger, {
      timeoutMs: this.config.publishTimeoutMs,
    });
    await this.publisher.connect();
    const publisher = this.publisher;
    this.processor = new SourceBatchProcessor(
      this.sources,
      new SourceEventDecoder(this.serde),
      this.submissions,
      (events) => publisher.publish(this.rejectedTopic, IngestRejected, events),
    );
    // Never auto-create: the topics are other systems'. From the beginning: a new group must not skip events.
    this.consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.logger.error(
        { err: payload.error, groupId: payload.groupId, restart: payload.restart },
        'source consumer crashed; kafkajs restarts it from the last committed offsets',
      );
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: present, fromBeginning: true });
    this.logger.info({ topics: present, groupId: this.groupId }, 'subscribed to source topics');
  }

  /** Starts consuming once every module is initialised (the submission's producer included). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /**
   * Stops consuming before any shutdown hook runs, so the in-flight chunk can
   * still publish through the submission's producer (closed in its own
   * `onApplicationShutdown`, which Nest runs in parallel with ours).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.disconnect();
    this.logger.info({ groupId: this.groupId }, 'source consumer stopped');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher?.disconnect();
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const processor = this.processor as SourceBatchProcessor;
    for (const messages of chunkMessages(batch.messages)) {
      // Stopping or rebalanced: leave the rest uncommitted; it is delivered again.
      if (!isRunning() || isStale()) return;
      const first = messages[0]?.offset;
      const last = messages[messages.length - 1]?.offset as string;
      let outcome: ChunkOutcome;
      try {
        outcome = await processor.process({ topic: batch.topic, partition: batch.partition, messages });
        // Everything is durably in Kafka: only now move the group past these messages.
        await commitOffsetsIfNecessary({
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset(last) }] }],
        });
      } catch (error) {
        // A retryable failure (Kafka, Redis or the registry unavailable, an item in flight, a rebalance) should pass.
        const { retryable, retriable } = error as { retryable?: unknown; retriable?: unknown };
        const level = retryable === true || retriable === true ? 'warn' : 'error';
        this.logger[level](
          { err: error, topic: batch.topic, partition: batch.partition, firstOffset: first, lastOffset: last },
          'source batch not committed; kafkajs delivers it again',
        );
        throw error;
      }
      resolveOffset(last);
      this.record(outcome);
      await heartbeat();
    }
  }

  private record(outcome: ChunkOutcome): void {
    const { topic, partition } = outcome;
    for (const message of outcome.messages) {
      const fields = {
        topic,
        partition,
        offset: message.offset,
        itemId: message.itemId,
        correlationId: message.correlationId,
      };
      if (message.outcome === 'rejected') {
        this.logger.warn({ ...fields, reason: message.reason }, 'source event rejected to ingest.rejected');
      } else {
        this.logger.debug({ ...fields, outcome: message.outcome, reason: message.reason }, 'source event submitted');
      }
    }
    for (const [name, count] of Object.entries(outcome.counts)) {
      if (count > 0) this.metric.inc({ topic, outcome: name }, count);
    }
    this.logger.info(
      {
        topic,
        partition,
        firstOffset: outcome.firstOffset,
        lastOffset: outcome.lastOffset,
        ...outcome.counts,
      },
      'source batch committed',
    );
  }
}

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
