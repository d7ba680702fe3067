import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Histogram } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import { HEADERS, retryTopicName, TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { EventPublisher, readHeaders, RegistrySerde, type OutgoingEvent } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectKafka, InjectRootLogger } from '@workpipe/runtime';
import { tierRelease } from './tier-release';

const lateness = new Histogram({
  name: 'workpipe_retry_lateness_seconds',
  help: 'How long after its due time a retry was republished to the work topic',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * Holds delayed retries on the delay-tier topics and republishes each to the
 * work topic once due. A partition whose head is not releasable is paused
 * until it is (never holding a fetched batch: the batch returns at once and the
 * head is fetched again on resume). See `tierRelease` for why no short delay
 * waits behind a long one.
 */
@Injectable()
export class DelayTierConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly publisher: EventPublisher;
  private readonly tierByTopic: Map<string, number>;
  private readonly workTopic: string;
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  private readonly logger: Logger;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) private readonly serde: RegistrySerde,
  ) {
    this.logger = logger.child({ component: 'delay-tier-consumer' });
    const prefix = config.kafka.topicPrefix;
    this.workTopic = topicName(prefix, TOPICS.work);
    this.tierByTopic = new Map(config.retry.delayTiersMs.map((tierMs) => [retryTopicName(prefix, tierMs), tierMs]));
    this.publisher = new EventPublisher(kafka, serde, this.logger, { timeoutMs: config.publishTimeoutMs });
    this.consumer = kafka.consumer({
      groupId: `${prefix}retrier.delay`,
      allowAutoTopicCreation: false,
      // A paused partition's head is re-fetched on resume: small fetches keep that cheap.
      maxBytesPerPartition: 256 * 1024,
      // A resumed partition joins the next fetch only: a long poll on the others would delay it (by default up to 5 s).
      maxWaitTimeInMs: 50,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.tierByTopic.keys()], fromBeginning: true });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(8, this.tierByTopic.size * this.config.kafka.partitions),
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer.stop();
    await this.consumer.disconnect();
    await this.publisher.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, pause, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const tierMs = this.tierByTopic.get(batch.topic) as number;
    const fire: { message: KafkaMessage; item: WorkItem.Value; dueAt: number }[] = [];
    const hops = new Map<string, OutgoingEvent<typeof WorkItem.Schema>[]>();
    const released: string[] = [];

    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const headers = readHeaders(message.headers);
      const dueAt = Number(headers[HEADERS.dueAt]);
      const item = await this.serde.decode(message.value as Buffer, WorkItem);
      const now = Date.now();
      const release = tierRelease(Number.isFinite(dueAt) ? dueAt : now, Number(message.timestamp), tierMs, now, this.config.retry.delayTiersMs);
      if (release.action === 'wait') {
        this.pauseUntil(batch.topic, batch.partition, release.waitMs, pause);
        break;
      }
      if (release.action === 'fire') {
        fire.push({ message, item, dueAt });
      } else {
        const topic = retryTopicName(this.config.kafka.topicPrefix, release.tierMs);
        hops.set(topic, [...(hops.get(topic) ?? []), { key: item.key, value: item, headers }]);
      }
      released.push(message.offset);
    }

    if (fire.length > 0) {
      await this.publisher.publish(
        this.workTopic,
        WorkItem,
        fire.map(({ item, message }) => ({ key: item.key, value: item, headers: readHeaders(message.headers) })),
      );
      const firedAt = Date.now();
      for (const { item, dueAt } of fire) {
        lateness.observe(Math.max(0, firedAt - dueAt) / 1000);
        this.logger.debug({ itemId: item.itemId, attempt: item.attempt, correlationId: item.correlationId, lateMs: firedAt - dueAt }, 'retry fired');
      }
    }
    for (const [topic, events] of hops) await this.publisher.publish(topic, WorkItem, events);
    for (const offset of released) resolveOffset(offset);
    await commitOffsetsIfNecessary();
  }

  private pauseUntil(topic: string, partition: number, waitMs: number, pause: () => () => void): void {
    const id = `${topic}:${partition}`;
    clearTimeout(this.resumeTimers.get(id));
    const resume = pause();
    this.resumeTimers.set(
      id,
      setTimeout(() => {
        this.resumeTimers.delete(id);
        resume();
      }, waitMs),
    );
  }
}
