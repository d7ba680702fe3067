import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { WorkFailed } from '@workpipe/contracts';
import type { Output, WorkerMessage } from '@workpipe/kafka';
import { RetryScheduler } from '../scheduling/retry-scheduler.service';
import { FAILED_CONSUMER, SUCCESSES_CONSUMER } from './retrier-consumer-specs';

/** Failed attempts and successes: a retry or a dead letter per failure; successes reset their key's circuit. */
@Controller()
export class AttemptOutcomesConsumer {
  constructor(private readonly scheduler: RetryScheduler) {}

  @EventPattern(FAILED_CONSUMER)
  async failed(@Payload() message: WorkerMessage<WorkFailed.Value>): Promise<Output[]> {
    return [await this.scheduler.decideFor(message.value)];
  }

  @EventPattern(SUCCESSES_CONSUMER)
  async successes(@Payload() messages: readonly WorkerMessage<Buffer | null>[]): Promise<Output[]> {
    await this.scheduler.keyCircuit.onSuccesses(messages.map((message) => message.key));
    return [];
  }
}
