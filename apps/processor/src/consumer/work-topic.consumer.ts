import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import { HEADERS, IngestRejected, TOPICS, topicName, WorkItem, type SourcePosition } from '@workpipe/contracts';
import { EventPublisher, ingestRejectedEvent, PayloadValidationError, readHeaders, RegistrySerde } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectKafka, InjectRootLogger } from '@workpipe/runtime';
import { ConcurrencyLimit } from '../downstream/concurrency-limit';
import { AttemptInterruptedError, WorkProcessor } from '../processing/work-processor.service';

/**
 * Consumes the work topic in the `processor` consumer group: instances split
 * the partitions, and an offset is resolved only after the item's outcome
 * event is durably in Kafka (at-least-once: a crash in between re-runs the
 * attempt, and consumers of outcome events de-duplicate by item and attempt).
 * Items of one key run in order; items of different keys run concurrently up
 * to PROCESSOR_CONCURRENCY per instance.
 */
@Injectable()
export class WorkTopicConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly limit: ConcurrencyLimit;
  private readonly workTopic: string;
  private readonly rejectedTopic: string;
  private readonly publisher: EventPublisher;
  private readonly logger: Logger;
  private readonly shutdown = new AbortController();
  private stopping = false;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) private readonly serde: RegistrySerde,
    private readonly processor: WorkProcessor,
  ) {
    this.logger = logger.child({ component: 'work-consumer' });
    this.workTopic = topicName(config.kafka.topicPrefix, TOPICS.work);
    this.rejectedTopic = topicName(config.kafka.topicPrefix, TOPICS.ingestRejected);
    this.limit = new ConcurrencyLimit(config.processor.concurrency);
    // Every in-flight attempt listens on the shutdown signal.
    setMaxListeners(0, this.shutdown.signal);
    this.publisher = new EventPublisher(kafka, serde, this.logger, { timeoutMs: config.publishTimeoutMs });
    this.consumer = kafka.consumer({
      groupId: `${config.kafka.topicPrefix}processor`,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.workTopic, fromBeginning: true });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.config.processor.concurrency, this.config.kafka.partitions),
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.logger.info({ topic: this.workTopic, concurrency: this.limit.limit }, 'consuming work');
  }

  /** Stops fetching, lets in-flight attempts finish (bounded), commits, disconnects. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // Past this point an attempt is cut short and left uncommitted, to be redone after restart.
    const deadline = setTimeout(() => this.shutdown.abort(), Math.max(1000, this.config.shutdownTimeoutMs - 3000));
    try {
      await this.consumer.stop();
      await this.consumer.disconnect();
      await this.publisher.disconnect();
    } finally {
      clearTimeout(deadline);
    }
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2_000);
    try {
      const byKey = new Map<string, Promise<unknown>>();
      const tasks: Promise<void>[] = [];
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || this.stopping) break;
        const key = message.key?.toString() ?? '';
        const previous = byKey.get(key) ?? Promise.resolve();
        const task = previous
          .catch(() => undefined)
          .then(() => this.limit.run(() => this.handleMessage(batch.topic, batch.partition, message)));
        byKey.set(key, task);
        tasks.push(task);
      }
      const settled = await Promise.allSettled(tasks);
      // Offsets move only over the unbroken run of finished messages.
      let firstError: unknown;
      for (const [index, outcome] of settled.entries()) {
        if (outcome.status === 'rejected') {
          firstError = outcome.reason;
          break;
        }
        resolveOffset((batch.messages[index] as KafkaMessage).offset);
      }
      await commitOffsetsIfNecessary();
      if (firstError && !(firstError instanceof AttemptInterruptedError)) throw firstError;
    } finally {
      clearInterval(beat);
    }
  }

  private async handleMessage(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    if (this.stopping && this.shutdown.signal.aborted) throw new AttemptInterruptedError('shutting down');
    const source: SourcePosition = { topic, partition, offset: message.offset };
    let item: WorkItem.Value;
    try {
      if (!message.value) throw new PayloadValidationError(WorkItem.EVENT_TYPE, ['empty value (tombstone)']);
      item = await this.serde.decode(message.value, WorkItem);
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      await this.reject(source, message, error.message);
      return;
    }
    await this.processor.process(item, source, this.shutdown.signal);
  }

  /** A message that is not a WorkItem goes aside with its raw bytes; the partition moves on. */
  private async reject(source: SourcePosition, message: KafkaMessage, reason: string): Promise<void> {
    this.logger.warn({ ...source, reason }, 'poison message on the work topic moved to ingest.rejected');
    const rejection = ingestRejectedEvent(
      {
        topic: source.topic,
        partition: source.partition,
        message,
        headers: readHeaders(message.headers),
        reason,
        correlationId: readHeaders(message.headers)[HEADERS.correlationId] ?? `${source.topic}:${source.partition}:${source.offset}`,
      },
      new Date(),
    );
    await this.publisher.publish(this.rejectedTopic, IngestRejected, [rejection]);
  }
}
