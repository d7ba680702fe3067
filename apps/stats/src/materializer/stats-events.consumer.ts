import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectKafka, InjectKafkaAdmin, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { AlertEvaluator } from '../alerts/alert-evaluator.service';
import { StatsKeys } from '../redis/stats-keys';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { BatchProgressNotifier } from './batch-progress-notifier';
import { FactApplier, type PositionedFact } from './fact-applier';
import { materializedEvents } from './materializer-metrics';
import { OutcomeEventDecoder, type StatsTopicRole } from './outcome-event-decoder';
import { PartitionPositions } from './partition-positions';
import { StaleStateGuard } from './stale-state-guard';

const ROLES: readonly StatsTopicRole[] = ['work', 'succeeded', 'failed', 'abandoned'];

/**
 * Materializes the work, succeeded, failed and abandoned topics into Redis, in
 * the `<prefix>stats` consumer group (instances split the partitions).
 *
 * Exactly once: each event is applied by the `apply-fact` script, which in one
 * atomic step checks and advances the partition's offset stored in Redis, drops
 * a fact the item already has, and moves every counter. Redis, not the group,
 * says where to resume: on each assignment the partitions are paused, sought
 * to the offset after the one stored in Redis (or to the log start when none is
 * stored, which rebuilds everything from the topics), then resumed; and a
 * batch that would start past that offset is refused and sought back.
 */
@Injectable()
export class StatsEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly roles = new Map<string, StatsTopicRole>();
  private readonly applier: FactApplier;
  private readonly decoder: OutcomeEventDecoder;
  private readonly positions: PartitionPositions;
  private readonly staleState: StaleStateGuard;
  private readonly notifier: BatchProgressNotifier;
  private readonly logger: Logger;
  private stopping = false;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectKafkaAdmin() admin: Admin,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) serde: RegistrySerde,
    @Inject(STATS_SETTINGS) private readonly settings: StatsSettings,
    keys: StatsKeys,
    private readonly alerts: AlertEvaluator,
  ) {
    this.logger = logger.child({ component: 'stats-materializer' });
    for (const role of ROLES) this.roles.set(topicName(config.kafka.topicPrefix, TOPICS[role]), role);
    this.applier = new FactApplier(redis, keys.base);
    this.decoder = new OutcomeEventDecoder(serde);
    this.positions = new PartitionPositions(redis, admin, keys.offsets());
    this.staleState = new StaleStateGuard(redis, admin, keys.offsets(), keys.base, this.logger);
    const channel = keys.updatesChannel();
    this.notifier = new BatchProgressNotifier((batchId) => redis.publish(channel, batchId), settings.progressThrottleMs, this.logger);
    this.consumer = kafka.consumer({
      groupId: `${config.kafka.topicPrefix}stats`,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Also how long kafkajs idles while every partition is paused (during the seek on assignment).
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.staleState.discardIfStale([...this.roles.keys()]);
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment));
    await this.consumer.subscribe({ topics: [...this.roles.keys()], fromBeginning: true });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.logger.info({ topics: [...this.roles.keys()] }, 'materializing stats');
  }

  /** Stops fetching; the batch in flight finishes its current chunk; offsets are committed. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    try {
      await this.consumer.stop();
      await this.consumer.disconnect();
    } finally {
      this.notifier.close();
    }
  }

  /** Runs synchronously inside the join, before the first fetch: pause, seek to Redis' offsets, resume. */
  private onAssignment(assignment: Record<string, number[]>): void {
    const topics = Object.entries(assignment)
      .filter(([topic, partitions]) => this.roles.has(topic) && partitions.length > 0)
      .map(([topic, partitions]) => ({ topic, partitions }));
    if (topics.length === 0) return;
    this.consumer.pause(topics);
    void this.seekToStoredOffsets(topics)
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'could not seek to the offsets stored in Redis; each batch is checked instead'))
      .finally(() => {
        if (!this.stopping) this.consumer.resume(topics);
      });
  }

  private async seekToStoredOffsets(topics: { topic: string; partitions: number[] }[]): Promise<void> {
    for (const { topic, partitions } of topics) {
      const next = await this.positions.nextOffsets(topic, partitions);
      for (const [partition, offset] of next) this.consumer.seek({ topic, partition, offset });
      this.logger.info({ topic, next: Object.fromEntries(next) }, 'resuming from the offsets stored in Redis');
    }
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const role = this.roles.get(batch.topic);
    const first = batch.messages[0];
    if (!role || !first) return;
    const check = await this.positions.check(batch.topic, batch.partition, first.offset);
    if (!check.ok) {
      this.logger.info(
        { topic: batch.topic, partition: batch.partition, fetched: first.offset, seekTo: check.seekTo },
        'fetched past the offset stored in Redis; seeking back',
      );
      this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: check.seekTo });
      return;
    }

    const touched = new Set<string>();
    let applied = 0;
    for (let start = 0; start < batch.messages.length; start += this.settings.applyChunkSize) {
      if (!isRunning() || isStale() || this.stopping) break;
      const chunk = batch.messages.slice(start, start + this.settings.applyChunkSize);
      const facts = await Promise.all(
        chunk.map(async (message): Promise<PositionedFact> => {
          const decoded = await this.decoder.decode(role, message);
          if (decoded.fact === null) {
            this.logger.error(
              { topic: batch.topic, partition: batch.partition, offset: message.offset, reason: decoded.reason },
              'event cannot be counted: not a valid event of its topic (it stays in Kafka; counted as invalid)',
            );
          }
          return { offset: message.offset, fact: decoded.fact };
        }),
      );
      const results = await this.applier.apply(batch.topic, batch.partition, facts);
      for (const result of results) {
        materializedEvents.inc({ topic: role, outcome: result.outcome });
        if (result.outcome === 'applied') {
          applied++;
          if (result.batchId !== '') touched.add(result.batchId);
        }
      }
      resolveOffset((chunk.at(-1) as { offset: string }).offset);
      this.notifier.changed(touched);
      touched.clear();
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
    if (applied > 0) this.alerts.requestEvaluation();
  }
}
