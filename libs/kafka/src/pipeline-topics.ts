import type { AppConfig } from '@workpipe/config';
import { retryTopicName, TOPICS, topicName, type TopicRole } from '@workpipe/contracts';
import type { TopicSpec } from './provisioning/topic-spec';

/** A week: dead letters and failures must outlive a long weekend of nobody looking. */
export const DEFAULT_EVENT_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * `min.insync.replicas` for a replication factor: one less than it, at least 1. With the producers'
 * `acks=all`, a write is acknowledged only once that many replicas have it (2 of 3: one broker may be
 * lost without losing an acknowledged write, and writes go on while one is down).
 */
export function minInSyncReplicas(replicationFactor: number): number {
  return Math.max(1, replicationFactor - 1);
}

/** The spec of a pipeline topic by role, with the configured prefix, partitions and replication. */
export function pipelineTopic(kafka: AppConfig['kafka'], role: TopicRole): TopicSpec {
  const configs: Record<string, string> = {
    'retention.ms': String(DEFAULT_EVENT_RETENTION_MS),
    'min.insync.replicas': String(minInSyncReplicas(kafka.replicationFactor)),
  };
  if (role === 'abandoned' || role === 'ingestRejected') {
    // Replay reads dead letters by offset long after the fact: keep them until an operator decides.
    configs['retention.ms'] = '-1';
  }
  if (role === 'replays') {
    // The audit of who replayed what: kept as long as the dead letters it speaks of.
    configs['retention.ms'] = '-1';
  }
  return {
    name: topicName(kafka.topicPrefix, TOPICS[role]),
    partitions: kafka.partitions,
    replicationFactor: kafka.replicationFactor,
    configs,
  };
}

export function pipelineTopics(kafka: AppConfig['kafka'], roles: readonly TopicRole[]): TopicSpec[] {
  return roles.map((role) => pipelineTopic(kafka, role));
}

/** The delay-tier topics: one per configured tier, kept a day past the longest tier. */
export function delayTopics(config: AppConfig): TopicSpec[] {
  const longest = Math.max(...config.retry.delayTiersMs);
  return config.retry.delayTiersMs.map((tierMs) => ({
    name: retryTopicName(config.kafka.topicPrefix, tierMs),
    partitions: config.kafka.partitions,
    replicationFactor: config.kafka.replicationFactor,
    configs: {
      'retention.ms': String(Math.max(DEFAULT_EVENT_RETENTION_MS, longest + 86_400_000)),
      'min.insync.replicas': String(minInSyncReplicas(config.kafka.replicationFactor)),
    },
  }));
}
