import { type DynamicModule, Module } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import { pipelineTopics } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { KAFKA_ADMIN, ROOT_LOGGER, RuntimeModule } from '@workpipe/runtime';
import { SubmissionsController } from './http/submissions.controller';
import { sourceConsumerSpecs } from './sources/source-consumer-spec';
import { SourceTopicConsumer } from './sources/source-topic.consumer';
import { SubmissionService } from './submission/submission.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot(config, {
          topics: pipelineTopics(config.kafka, ['work', 'ingestRejected']),
          consumers: {
            inject: [KAFKA_ADMIN, ROOT_LOGGER],
            useFactory: (admin: Admin, logger: Logger) => sourceConsumerSpecs(config, admin, logger),
          },
        }),
      ],
      controllers: [SubmissionsController, SourceTopicConsumer],
      providers: [SubmissionService],
    };
  }
}
