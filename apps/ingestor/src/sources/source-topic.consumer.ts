import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AppConfig } from '@workpipe/config';
import { IngestRejected, TOPICS, topicName } from '@workpipe/contracts';
import { output, RegistrySerde, type Output, type WorkerMessage } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectRootLogger } from '@workpipe/runtime';
import { SubmissionService } from '../submission/submission.service';
import { SourceBatchProcessor, type ChunkOutcome } from './source-batch-processor';
import { SOURCES_CONSUMER } from './source-consumer-spec';
import { SourceEventDecoder } from './source-event-decoder';
import { sourceEventsCounter } from './source-event-metrics';

/**
 * Turns chunks of other systems' events into work items through
 * {@link SubmissionService} (same validation and dedup as HTTP). The mapped
 * items are published by the submission before this returns; the rejected
 * messages' events are returned, to go out with the chunk's commit. A failure
 * throws: the worker tries the chunk again (duplicates are caught by the dedup).
 */
@Controller()
export class SourceTopicConsumer {
  private readonly logger: Logger;
  private readonly rejectedTopic: string;
  private readonly metric = sourceEventsCounter();
  private readonly processor: SourceBatchProcessor;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) serde: RegistrySerde,
    submissions: SubmissionService,
  ) {
    this.logger = logger.child({ component: 'source-consumer' });
    this.rejectedTopic = topicName(config.kafka.topicPrefix, TOPICS.ingestRejected);
    this.processor = new SourceBatchProcessor(config.ingest.sources, new SourceEventDecoder(serde), submissions);
  }

  @EventPattern(SOURCES_CONSUMER)
  async handle(@Payload() messages: readonly WorkerMessage[]): Promise<Output[]> {
    const first = messages[0];
    if (!first) return [];
    const outcome = await this.processor.process({ topic: first.topic, partition: first.partition, messages: messages.map((message) => message.raw) });
    this.record(outcome);
    return outcome.rejections.map((event) => output(this.rejectedTopic, IngestRejected, event));
  }

  private record(outcome: ChunkOutcome): void {
    const { topic, partition } = outcome;
    for (const message of outcome.messages) {
      const fields = { topic, partition, offset: message.offset, itemId: message.itemId, correlationId: message.correlationId };
      if (message.outcome === 'rejected') {
        this.logger.warn({ ...fields, reason: message.reason }, 'source event rejected to ingest.rejected');
      } else {
        this.logger.debug({ ...fields, outcome: message.outcome, reason: message.reason }, 'source event submitted');
      }
    }
    for (const [name, count] of Object.entries(outcome.counts)) {
      if (count > 0) this.metric.inc({ topic, outcome: name }, count);
    }
    this.logger.info({ topic, partition, firstOffset: outcome.firstOffset, lastOffset: outcome.lastOffset, ...outcome.counts }, 'source chunk handled');
  }
}
