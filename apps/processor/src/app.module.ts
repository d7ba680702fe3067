import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from '@workpipe/config';
import { pipelineTopics } from '@workpipe/kafka';
import { RuntimeModule } from '@workpipe/runtime';
import { WorkTopicConsumer } from './consumer/work-topic.consumer';
import { DownstreamGuard } from './downstream/downstream-guard';
import { HandlerRegistry } from './handlers/handler-registry';
import { WorkProcessor } from './processing/work-processor.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DiscoveryModule,
        RuntimeModule.forRoot(config, {
          topics: pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'ingestRejected']),
        }),
      ],
      providers: [HandlerRegistry, DownstreamGuard, WorkProcessor, WorkTopicConsumer],
    };
  }
}
