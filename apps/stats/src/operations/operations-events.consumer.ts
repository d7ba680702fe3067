import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, type WorkAbandoned, type WorkFailed, type WorkSucceeded } from '@workpipe/contracts';
import type { Output, WorkerMessage } from '@workpipe/kafka';
import type { ReplayOutcomeEvent } from '@workpipe/replay';
import { InjectConfig } from '@workpipe/runtime';
import { abandonedEntry, failedEntry, outcomeEventOf, succeededEntry, type TimedEntry } from './history-entries';
import { OPERATIONS_CONSUMER } from './operations-consumer-spec';
import { ReplayRuntime } from './replay-runtime';

/**
 * Keeps what operators look up about items and replays: each failed attempt,
 * dead letter and late success in the item's history, and each success or
 * abandonment of a replayed item as that replay's outcome (recovered, failed
 * again). Two round trips per chunk: one script for the outcomes, one pipeline
 * for the history.
 */
@Controller()
export class OperationsEventsConsumer {
  private readonly topics: { failed: string; succeeded: string; abandoned: string };

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly runtime: ReplayRuntime,
  ) {
    const prefix = config.kafka.topicPrefix;
    this.topics = { failed: topicName(prefix, TOPICS.failed), succeeded: topicName(prefix, TOPICS.succeeded), abandoned: topicName(prefix, TOPICS.abandoned) };
  }

  @EventPattern(OPERATIONS_CONSUMER)
  async apply(@Payload() messages: readonly WorkerMessage[]): Promise<Output[]> {
    const outcomes: ReplayOutcomeEvent[] = [];
    const entries: TimedEntry[] = [];
    for (const message of messages) {
      if (message.poison !== undefined) continue;
      if (message.topic === this.topics.failed) {
        entries.push(failedEntry(message.value as WorkFailed.Value));
      } else if (message.topic === this.topics.succeeded) {
        const value = message.value as WorkSucceeded.Value;
        const entry = succeededEntry(value);
        if (entry) entries.push(entry);
        const outcome = outcomeEventOf({ kind: 'succeeded', value });
        if (outcome) outcomes.push(outcome);
      } else if (message.topic === this.topics.abandoned) {
        const value = message.value as WorkAbandoned.Value;
        entries.push(abandonedEntry(value, { topic: message.topic, partition: message.partition, offset: message.offset }));
        const outcome = outcomeEventOf({ kind: 'abandoned', value });
        if (outcome) outcomes.push(outcome);
      }
    }
    await Promise.all([this.runtime.outcomes.apply(outcomes), this.runtime.history.add(entries)]);
    return [];
  }
}
