import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import { delayTopics, pipelineTopics } from '@workpipe/kafka';
import { RuntimeModule } from '@workpipe/runtime';
import { DelayTierConsumer } from './delay/delay-tier.consumer';
import { RetryScheduler } from './scheduling/retry-scheduler.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [RuntimeModule.forRoot(config, { topics: [...pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned']), ...delayTopics(config)] })],
      providers: [RetryScheduler, DelayTierConsumer],
    };
  }
}
