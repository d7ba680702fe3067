import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from '@workpipe/config';
import { pipelineTopics } from '@workpipe/kafka';
import { RuntimeModule } from '@workpipe/runtime';
import { WorkConsumer } from './consumer/work.consumer';
import { workConsumerSpec } from './consumer/work-consumer-spec';
import { DownstreamGuard } from './downstream/downstream-guard';
import { HandlerRegistry } from './handlers/handler-registry';
import type { WorkHandler } from './handlers/work-handler';
import { WorkProcessor } from './processing/work-processor.service';

export interface ProcessorOptions {
  /** Your handlers: NestJS providers marked `@WorkHandlerFor({ type })` implementing `WorkHandler`. */
  handlers?: Type<WorkHandler>[];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: ProcessorOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DiscoveryModule,
        RuntimeModule.forRoot(config, {
          topics: pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'ingestRejected']),
          consumers: [workConsumerSpec(config)],
        }),
      ],
      controllers: [WorkConsumer],
      providers: [
        HandlerRegistry,
        DownstreamGuard,
        WorkProcessor,
        ...(options.handlers ?? []),
      ],
    };
  }
}
