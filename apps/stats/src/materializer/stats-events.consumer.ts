import { Controller, Inject, type OnModuleInit } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import type { WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import type { Output, WorkerMessage } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectKafkaAdmin, InjectRedis, InjectRootLogger, WorkerContext } from '@workpipe/runtime';
import { factFromAbandoned, factFromFailed, factFromSucceeded, factFromWorkItem, type ItemFact } from '@workpipe/stats-model';
import { AlertEvaluator } from '../alerts/alert-evaluator.service';
import { StatsKeys } from '../redis/stats-keys';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { BatchProgressNotifier } from './batch-progress-notifier';
import { FactApplier, type PositionedFact } from './fact-applier';
import { KnownStoredOffsets } from './known-stored-offsets';
import { materializedEvents } from './materializer-metrics';
import { StaleStateGuard } from './stale-state-guard';
import { STATS_CONSUMER, statsTopicRoles, type StatsTopicRole } from './stats-consumer-spec';

/**
 * Materializes the work, succeeded, failed and abandoned topics into Redis.
 *
 * Exactly once: each chunk of a partition's events is applied by the
 * `apply-fact` script, which in one atomic step checks and advances the
 * partition's offset stored in Redis, drops a fact the item already has, and
 * moves every counter. Redis, not the group, says where a partition resumes
 * (the worker asks `PartitionPositions` on every assignment), so an emptied
 * Redis is rebuilt from the topics; emptied (or failed over) while the consumer
 * runs, the script refuses the next chunk and the worker seeks every partition
 * back to where Redis is now: a rebuild, not a gap.
 */
@Controller()
export class StatsEventsConsumer implements OnModuleInit {
  private readonly roles: Map<string, StatsTopicRole>;
  private readonly applier: FactApplier;
  private readonly staleState: StaleStateGuard;
  private readonly notifier: BatchProgressNotifier;
  private readonly logger: Logger;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectKafkaAdmin() admin: Admin,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() logger: Logger,
    @Inject(STATS_SETTINGS) settings: StatsSettings,
    keys: StatsKeys,
    private readonly alerts: AlertEvaluator,
    private readonly known: KnownStoredOffsets,
  ) {
    this.logger = logger.child({ component: 'stats-materializer' });
    this.roles = statsTopicRoles(config);
    this.applier = new FactApplier(redis, keys.base);
    this.staleState = new StaleStateGuard(redis, admin, keys, this.logger);
    const channel = keys.updatesChannel();
    this.notifier = new BatchProgressNotifier((batchId) => redis.publish(channel, batchId), settings.progressThrottleMs, this.logger);
  }

  /** Before the consumer starts: state kept for topics that were recreated, or under an older layout, is discarded (and rebuilt). */
  async onModuleInit(): Promise<void> {
    await this.staleState.discardIfStale([...this.roles.keys()]);
  }

  onApplicationShutdown(): void {
    this.notifier.close();
  }

  @EventPattern(STATS_CONSUMER)
  async apply(@Payload() messages: readonly WorkerMessage[], @Ctx() context: WorkerContext): Promise<Output[]> {
    const first = messages[0];
    if (!first) return [];
    const role = this.roles.get(first.topic) as StatsTopicRole;
    const facts = messages.map((message): PositionedFact => ({ offset: message.offset, fact: this.factOf(role, message) }));
    // A chunk of a partition run that was revoked or repositioned meanwhile is not applied: the
    // position it would be checked against is no longer this run's (the new run reads it again).
    context.signal.throwIfAborted();
    const results = await this.applier.apply(first.topic, first.partition, facts, this.known.of(first.topic, first.partition));
    if (!context.signal.aborted) this.known.applied(first.topic, first.partition, (messages[messages.length - 1] as WorkerMessage).offset);
    const touched = new Set<string>();
    let applied = 0;
    for (const result of results) {
      materializedEvents.inc({ topic: role, outcome: result.outcome });
      if (result.outcome === 'applied') {
        applied++;
        if (result.batchId !== '') touched.add(result.batchId);
      }
    }
    this.notifier.changed(touched);
    if (applied > 0) this.alerts.requestEvaluation();
    return [];
  }

  private factOf(role: StatsTopicRole, message: WorkerMessage): ItemFact | null {
    if (message.poison !== undefined) {
      this.logger.error(
        { topic: message.topic, partition: message.partition, offset: message.offset, reason: message.poison },
        'event cannot be counted: not a valid event of its topic (counted as invalid)',
      );
      return null;
    }
    switch (role) {
      case 'work':
        return factFromWorkItem(message.value as WorkItem.Value, message.timestamp);
      case 'succeeded':
        return factFromSucceeded(message.value as WorkSucceeded.Value);
      case 'failed':
        return factFromFailed(message.value as WorkFailed.Value);
      case 'abandoned':
        return factFromAbandoned(message.value as WorkAbandoned.Value);
    }
  }
}
