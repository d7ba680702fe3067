import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Histogram } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import { HEADERS, retryTopicName, TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { output, type Output, type WorkerMessage } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectRootLogger, WorkerContext } from '@workpipe/runtime';
import { tierRelease } from '../delay/tier-release';
import { DELAY_CONSUMER } from './retrier-consumer-specs';

const lateness = new Histogram({
  name: 'workpipe_retry_lateness_seconds',
  help: 'How long after its due time a retry was released to the work topic (before its commit)',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * Holds each delayed retry until its release time (see `tierRelease`), then
 * returns it for the work topic when due, or for the tier of the time left.
 * The wait is a timer in the handler, cancelled if the partition is revoked
 * (the message is then held again by its next owner).
 */
@Controller()
export class DelayTierConsumer {
  private readonly tierByTopic: Map<string, number>;
  private readonly workTopic: string;
  private readonly logger: Logger;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'delay-tier' });
    const prefix = config.kafka.topicPrefix;
    this.workTopic = topicName(prefix, TOPICS.work);
    this.tierByTopic = new Map(config.retry.delayTiersMs.map((tierMs) => [retryTopicName(prefix, tierMs), tierMs]));
  }

  @EventPattern(DELAY_CONSUMER)
  async release(@Payload() message: WorkerMessage<WorkItem.Value>, @Ctx() context: WorkerContext): Promise<Output[]> {
    const tierMs = this.tierByTopic.get(message.topic) as number;
    const parsedDue = Number(message.headers[HEADERS.dueAt]);
    const dueAt = Number.isFinite(parsedDue) ? parsedDue : message.timestamp;
    const item = message.value;
    for (;;) {
      const now = Date.now();
      const release = tierRelease(dueAt, message.timestamp, tierMs, now, this.config.retry.delayTiersMs);
      if (release.action === 'wait') {
        await sleep(release.waitMs, context.signal);
        continue;
      }
      if (release.action === 'fire') {
        lateness.observe(Math.max(0, now - dueAt) / 1000);
        this.logger.debug({ itemId: item.itemId, attempt: item.attempt, correlationId: item.correlationId, lateMs: now - dueAt }, 'retry fired');
        return [output(this.workTopic, WorkItem, { key: item.key, value: item, headers: message.headers })];
      }
      return [output(retryTopicName(this.config.kafka.topicPrefix, release.tierMs), WorkItem, { key: item.key, value: item, headers: message.headers })];
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
