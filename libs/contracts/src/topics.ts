/**
 * Every topic the pipeline uses, by role. The deployed name is the configured
 * prefix plus this base name (see {@link topicName}); no app spells a topic literal.
 */
export const TOPICS = {
  /** Work items to process: submissions, due retries and replays. Keyed by entity key. */
  work: 'work',
  /** One event per successful attempt. */
  succeeded: 'work.succeeded',
  /** One event per failed attempt, with the typed failure and the full item. */
  failed: 'work.failed',
  /** Dead letters: items given up on, with every attempt's failure and the reason. */
  abandoned: 'work.abandoned',
  /** Base name of the delay topics; one per tier, e.g. `work.retry.5s`. */
  retry: 'work.retry',
  /** Source-topic events that could not be decoded or mapped to a work item. */
  ingestRejected: 'ingest.rejected',
  /** Raised and cleared alerts. */
  alerts: 'alerts',
  /** Replay requests (who, when, selection, outcome) and the end of each replay run: the audit of replays. Keyed by replay id. */
  replays: 'replays',
} as const;

export type TopicRole = keyof typeof TOPICS;

export function topicName(prefix: string, base: (typeof TOPICS)[TopicRole]): string {
  return `${prefix}${base}`;
}

/** Delay topic of a tier, e.g. `retryTopicName('workpipe.', 5000)` is `workpipe.work.retry.5s`. */
export function retryTopicName(prefix: string, tierMs: number): string {
  return `${prefix}${TOPICS.retry}.${formatTier(tierMs)}`;
}

/** 500 -> `500ms`, 5000 -> `5s`, 60000 -> `1m`, 3600000 -> `1h`. */
export function formatTier(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The registry subject of a topic's values (Confluent TopicNameStrategy, what Kafka UI looks up). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
