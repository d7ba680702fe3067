import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import { pipelineTopics } from '@workpipe/kafka';
import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import { APP_CONFIG, KAFKA_ADMIN, REDIS, RuntimeModule } from '@workpipe/runtime';
import { AlertDispatcher } from './alerts/alert-dispatcher.service';
import { CallerController } from './access/caller.controller';
import { AlertEvaluator } from './alerts/alert-evaluator.service';
import { AlertStore } from './alerts/alert-store';
import { AlertsController } from './alerts/alerts.controller';
import { ConsoleModule } from './console/console.module';
import { FailureHider } from './failures/failure-hider.service';
import { BatchEventsController } from './http/batch-events.controller';
import { BatchProgressHub } from './http/batch-progress.hub';
import { FailuresController } from './http/failures.controller';
import { LiveProgressService } from './http/live-progress.service';
import { StatsController } from './http/stats.controller';
import { KnownStoredOffsets } from './materializer/known-stored-offsets';
import { PartitionPositions } from './materializer/partition-positions';
import { statsConsumerSpec } from './materializer/stats-consumer-spec';
import { StatsEventsConsumer } from './materializer/stats-events.consumer';
import { StatsGauges } from './metrics/stats-gauges';
import { operationsConsumerSpec } from './operations/operations-consumer-spec';
import { OperationsModule } from './operations/operations.module';
import { StatsReader } from './reading/stats-reader.service';
import { StatsKeys } from './redis/stats-keys';
import { STATS_SETTINGS } from './stats-settings.token';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    // Shared by where partitions resume (the consumer spec) and the materializer that checks it.
    const known = new KnownStoredOffsets();
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot(config, {
          topics: pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts', 'ingestRejected', 'replays']),
          consumers: {
            inject: [REDIS, KAFKA_ADMIN],
            useFactory: (redis: Redis, admin: Admin) => [
              statsConsumerSpec(config, new PartitionPositions(redis, admin, new StatsKeys(config.redis.keyPrefix).offsets(), known)),
              operationsConsumerSpec(config),
            ],
          },
        }),
        OperationsModule,
        ConsoleModule,
      ],
      controllers: [StatsController, BatchEventsController, FailuresController, AlertsController, CallerController, StatsEventsConsumer],
      providers: [
        { provide: STATS_SETTINGS, useValue: config.stats },
        { provide: KnownStoredOffsets, useValue: known },
        { provide: StatsKeys, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new StatsKeys(c.redis.keyPrefix) },
        {
          provide: AlertStore,
          inject: [REDIS, StatsKeys],
          useFactory: (redis: Redis, keys: StatsKeys) => new AlertStore(redis, keys.alerts(), keys.alertOutbox()),
        },
        StatsReader,
        FailureHider,
        StatsGauges,
        AlertEvaluator,
        AlertDispatcher,
        BatchProgressHub,
        LiveProgressService,
      ],
    };
  }
}
