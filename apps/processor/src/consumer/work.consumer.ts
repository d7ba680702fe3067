import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { WorkItem } from '@workpipe/contracts';
import type { Output, WorkerMessage } from '@workpipe/kafka';
import { WorkerContext } from '@workpipe/runtime';
import { WorkProcessor } from '../processing/work-processor.service';
import { WORK_CONSUMER } from './work-consumer-spec';

/** Each work item, decoded by the worker: runs its attempt and returns its one outcome event. */
@Controller()
export class WorkConsumer {
  constructor(private readonly processor: WorkProcessor) {}

  @EventPattern(WORK_CONSUMER)
  handle(@Payload() message: WorkerMessage<WorkItem.Value>, @Ctx() context: WorkerContext): Promise<Output[]> {
    const { topic, partition, offset } = message;
    return this.processor.process(message.value, { topic, partition, offset }, context.signal);
  }
}
