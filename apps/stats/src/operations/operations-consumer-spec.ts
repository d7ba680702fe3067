import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, WorkAbandoned, WorkFailed, WorkSucceeded } from '@workpipe/contracts';
import type { ConsumerSpec } from '@workpipe/kafka';

export const OPERATIONS_CONSUMER = 'stats.operations';

/**
 * The failed, succeeded and abandoned topics in the `<prefix>stats-operations`
 * group: each item's bounded history and the outcome of replayed items.
 * At least once (`offsets`): both writes are idempotent (an entry is a sorted
 * set member, an outcome moves once), so a redelivered chunk changes nothing.
 * A second reader of these topics: an undecodable message is only skipped
 * (the materializer counts it; the owners set it aside).
 */
export function operationsConsumerSpec(config: AppConfig): ConsumerSpec {
  const prefix = config.kafka.topicPrefix;
  return {
    name: OPERATIONS_CONSUMER,
    groupId: `${prefix}stats-operations`,
    topics: [
      { topic: topicName(prefix, TOPICS.failed), contract: WorkFailed, poison: 'deliver' },
      { topic: topicName(prefix, TOPICS.succeeded), contract: WorkSucceeded, poison: 'deliver' },
      { topic: topicName(prefix, TOPICS.abandoned), contract: WorkAbandoned, poison: 'deliver' },
    ],
    mode: 'chunk',
    commit: 'offsets',
    chunkSize: 200,
    windowSize: 400,
    // Small fetches: a window's messages keep their whole fetch response alive.
    maxBytesPerPartition: 256 * 1024,
    concurrency: 4,
    commitIntervalMs: 1_000,
    maxWaitTimeMs: 250,
    rejectedTopic: topicName(prefix, TOPICS.ingestRejected),
  };
}
