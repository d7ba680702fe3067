import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import { delayTopics, pipelineTopics } from '@workpipe/kafka';
import { RuntimeModule } from '@workpipe/runtime';
import { DelayTierConsumer } from './consumers/delay-tier.consumer';
import { AttemptOutcomesConsumer } from './consumers/attempt-outcomes.consumer';
import { retrierConsumerSpecs } from './consumers/retrier-consumer-specs';
import { RetryScheduler } from './scheduling/retry-scheduler.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot(config, {
          topics: [...pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'ingestRejected']), ...delayTopics(config)],
          consumers: retrierConsumerSpecs(config),
        }),
      ],
      controllers: [AttemptOutcomesConsumer, DelayTierConsumer],
      providers: [RetryScheduler],
    };
  }
}
