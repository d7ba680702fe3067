import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import type { ConsumerSpec, EventContract } from '@workpipe/kafka';
import type { PartitionPositions } from './partition-positions';

/** The four topics stats reads, by role. */
export type StatsTopicRole = 'work' | 'succeeded' | 'failed' | 'abandoned';

export const STATS_CONSUMER = 'stats.events';

const CONTRACTS: Record<StatsTopicRole, EventContract> = {
  work: WorkItem,
  succeeded: WorkSucceeded,
  failed: WorkFailed,
  abandoned: WorkAbandoned,
};

/**
 * The work, succeeded, failed and abandoned topics in the `<prefix>stats`
 * group, in chunks of STATS_APPLY_CHUNK_SIZE per partition. Redis keeps where
 * each partition is (with the counters, atomically), so a partition resumes
 * from Redis' offset, not the group's. A message that does not decode is
 * counted as invalid; it is set aside by the topic's owner (the processor for
 * work, the retrier for failed), or here for succeeded and abandoned.
 */
export function statsConsumerSpec(config: AppConfig, positions: PartitionPositions): ConsumerSpec {
  const prefix = config.kafka.topicPrefix;
  const owners: Record<StatsTopicRole, 'reject' | 'deliver'> = { work: 'deliver', failed: 'deliver', succeeded: 'reject', abandoned: 'reject' };
  return {
    name: STATS_CONSUMER,
    groupId: `${prefix}stats`,
    topics: (Object.keys(CONTRACTS) as StatsTopicRole[]).map((role) => ({
      topic: topicName(prefix, TOPICS[role]),
      contract: CONTRACTS[role],
      poison: owners[role],
    })),
    mode: 'chunk',
    commit: 'external',
    chunkSize: config.stats.applyChunkSize,
    sessionTimeoutMs: config.consumers.sessionTimeoutMs,
    windowSize: Math.max(config.consumers.window, 2 * config.stats.applyChunkSize),
    concurrency: 4,
    commitIntervalMs: 1_000,
    // Counting can wait a quarter of a second: larger chunks make the Redis work per event small.
    maxWaitTimeMs: 250,
    minBytes: 64 * 1024,
    resumeAt: (topic, partitions) => positions.nextOffsets(topic, partitions),
    rejectedTopic: topicName(prefix, TOPICS.ingestRejected),
  };
}

/** The role of each of the four topics, by full name. */
export function statsTopicRoles(config: AppConfig): Map<string, StatsTopicRole> {
  return new Map((Object.keys(CONTRACTS) as StatsTopicRole[]).map((role) => [topicName(config.kafka.topicPrefix, TOPICS[role]), role]));
}
