/** What a refusal to create a topic means, and which setting a user has to change. */
export interface TopicCreationFailure {
  topic: string;
  /** Kafka's error type, e.g. `INVALID_REPLICATION_FACTOR`. */
  type: string;
  /** True when asking again may succeed (the topic is being created, a leader is being elected). */
  retryable: boolean;
  /** The setting to change when it is not retryable, e.g. `TOPIC_REPLICATION_FACTOR`. */
  setting?: string;
}

/** Kafka error types that say the request cannot succeed as asked, with the setting that decides it. */
const SETTING_OF: Readonly<Record<string, string>> = {
  INVALID_REPLICATION_FACTOR: 'TOPIC_REPLICATION_FACTOR (the cluster has fewer brokers than the replication factor)',
  INVALID_PARTITIONS: 'TOPIC_PARTITIONS',
  INVALID_TOPIC_EXCEPTION: 'TOPIC_PREFIX (not a valid topic name)',
  INVALID_CONFIG: 'the topic configuration (retention.ms, min.insync.replicas)',
  POLICY_VIOLATION: "the broker's create-topic policy",
  TOPIC_AUTHORIZATION_FAILED: 'KAFKA_SASL_USERNAME (the principal may not create this topic)',
  CLUSTER_AUTHORIZATION_FAILED: 'KAFKA_SASL_USERNAME (the principal may not create topics)',
  INVALID_REQUEST: 'the topic specification',
  UNSUPPORTED_VERSION: 'KAFKA_BROKERS (the broker does not support this request)',
};

/** Types that mean the topic exists already: another service (or instance) created it first. */
const ALREADY_THERE = new Set(['TOPIC_ALREADY_EXISTS']);

interface KafkaErrorLike {
  type?: string;
  retriable?: boolean;
  topic?: string;
  errors?: unknown[];
  message?: string;
}

/**
 * Splits an error of `admin.createTopics` into one entry per topic: kafkajs
 * throws a `KafkaJSAggregateError` of per-topic errors, or a single error for
 * the whole request (controller moved, connection lost). Topics that already
 * exist are left out: that is success.
 */
export function topicCreationFailures(error: unknown, requested: readonly string[]): TopicCreationFailure[] {
  const candidate = error as KafkaErrorLike;
  const parts = Array.isArray(candidate?.errors) ? (candidate.errors as KafkaErrorLike[]) : undefined;
  if (parts) {
    return parts
      .filter((part) => !ALREADY_THERE.has(part.type ?? ''))
      .map((part) => classify(part, part.topic ?? requested.join(', ')));
  }
  if (ALREADY_THERE.has(candidate?.type ?? '')) return [];
  return requested.map((topic) => classify(candidate, topic));
}

function classify(error: KafkaErrorLike, topic: string): TopicCreationFailure {
  const type = error?.type ?? (error as Error | undefined)?.name ?? 'UNKNOWN';
  const setting = SETTING_OF[type];
  if (setting) return { topic, type, retryable: false, setting };
  // kafkajs flags what cannot pass (e.g. a request it refuses to send); everything else
  // (NOT_CONTROLLER, REQUEST_TIMED_OUT, a lost connection, a topic still being deleted)
  // may pass: the bounded retry decides when to give up.
  return { topic, type, retryable: error?.retriable !== false };
}
