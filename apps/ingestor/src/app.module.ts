import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import { pipelineTopics } from '@workpipe/kafka';
import { RuntimeModule } from '@workpipe/runtime';
import { SubmissionsController } from './http/submissions.controller';
import { SourceTopicConsumer } from './sources/source-topic.consumer';
import { SubmissionService } from './submission/submission.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [RuntimeModule.forRoot(config, { topics: pipelineTopics(config.kafka, ['work', 'ingestRejected']) })],
      controllers: [SubmissionsController],
      providers: [SubmissionService, SourceTopicConsumer],
    };
  }
}
