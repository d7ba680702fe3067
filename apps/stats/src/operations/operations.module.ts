import { Module } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import { APP_CONFIG } from '@workpipe/runtime';
import { ItemStatusService } from './item-status.service';
import { ItemsController } from './items.controller';
import { OperationsEventsConsumer } from './operations-events.consumer';
import { ReplayAudit } from './replay-audit';
import { ReplayJobs } from './replay-jobs.service';
import { ReplayRuntime } from './replay-runtime';
import { ReplaysController } from './replays.controller';
import { StatsReader } from '../reading/stats-reader.service';
import { StatsKeys } from '../redis/stats-keys';

/**
 * The operations API of the stats service: replays of dead letters (started,
 * followed, continued, cancelled, each request recorded on the `replays`
 * topic) and the status of one item; and the consumer that keeps item
 * histories and replay outcomes. Its consumer spec is listed by the app module
 * (`operationsConsumerSpec`), with the materializer's.
 */
@Module({
  controllers: [ReplaysController, ItemsController, OperationsEventsConsumer],
  providers: [
    // The read side of the stats (a reader of its own over the same Redis keys).
    { provide: StatsKeys, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new StatsKeys(config.redis.keyPrefix) },
    StatsReader,
    ReplayRuntime,
    ReplayAudit,
    ReplayJobs,
    ItemStatusService,
  ],
})
export class OperationsModule {}
