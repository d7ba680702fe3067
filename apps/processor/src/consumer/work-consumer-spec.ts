import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import type { ConsumerSpec } from '@workpipe/kafka';
import { unpublishableOutcome } from '../processing/outcome-events';

/** The pattern of the work consumer's handler. */
export const WORK_CONSUMER = 'processor.work';

/**
 * The work topic in the `<prefix>processor` group: instances split the
 * partitions; one key's items run in order, others concurrently up to
 * PROCESSOR_CONCURRENCY; each attempt's outcome is committed with the item's
 * offset in one transaction per partition (exactly one visible outcome per
 * attempt for read_committed readers).
 */
export function workConsumerSpec(config: AppConfig): ConsumerSpec {
  const prefix = config.kafka.topicPrefix;
  return {
    name: WORK_CONSUMER,
    groupId: `${prefix}processor`,
    topics: [{ topic: topicName(prefix, TOPICS.work), contract: WorkItem }],
    mode: 'each',
    ordering: 'key',
    commit: 'transaction',
    concurrency: config.processor.concurrency,
    sessionTimeoutMs: config.consumers.sessionTimeoutMs,
    windowSize: config.consumers.window,
    commitIntervalMs: config.consumers.commitIntervalMs,
    // New items end a fetch's wait at once. Not longer: kafkajs sleeps this long whenever every
    // partition is paused (a full window), and a resumed partition joins the next fetch only.
    maxWaitTimeMs: 500,
    // An attempt is bounded by its timeout: stuck means longer than the longest of them, and then some.
    stuckAfterMs: Math.max(120_000, 2 * maxAttemptTimeout(config)),
    rejectedTopic: topicName(prefix, TOPICS.ingestRejected),
    replaceUnpublishable: (message, error) => [
      unpublishableOutcome(topicName(prefix, TOPICS.failed), message.value as WorkItem.Value, message, error),
    ],
  };
}

function maxAttemptTimeout(config: AppConfig): number {
  return Math.max(config.processor.attemptTimeoutMs, ...Object.values(config.processor.workTypes).map((type) => type.timeoutMs));
}
