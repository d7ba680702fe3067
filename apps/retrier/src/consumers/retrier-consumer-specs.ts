import type { AppConfig } from '@workpipe/config';
import { retryTopicName, TOPICS, topicName, WorkFailed, WorkItem } from '@workpipe/contracts';
import type { ConsumerSpec } from '@workpipe/kafka';
import { deadLetter } from '../scheduling/dead-letter';

export const FAILED_CONSUMER = 'retrier.failed';
export const SUCCESSES_CONSUMER = 'retrier.successes';
export const DELAY_CONSUMER = 'retrier.delay';

/** A delay-tier message waits in its handler until due (FIFO per tier): room for this many per partition. */
const DELAY_WINDOW = 500;

/**
 * The retrier's three consumers:
 * - failed attempts (`<prefix>retrier`): one decision each, committed with the
 *   failure's offset in one transaction (exactly one retry or dead letter);
 * - successes (`<prefix>retrier.successes`): only their keys, in chunks, to
 *   reset the per-key circuit (no decoding, one Redis call per chunk);
 * - delay tiers (`<prefix>retrier.delay`): each message held until its
 *   release time, then republished to the work topic (or the next tier) in
 *   one transaction with its offset.
 */
export function retrierConsumerSpecs(config: AppConfig): ConsumerSpec[] {
  const prefix = config.kafka.topicPrefix;
  const rejectedTopic = topicName(prefix, TOPICS.ingestRejected);
  const longestTierMs = Math.max(...config.retry.delayTiersMs);
  const specs: ConsumerSpec[] = [
    {
      name: FAILED_CONSUMER,
      groupId: `${prefix}retrier`,
      topics: [{ topic: topicName(prefix, TOPICS.failed), contract: WorkFailed }],
      sessionTimeoutMs: config.consumers.sessionTimeoutMs,
      mode: 'each',
      ordering: 'key',
      commit: 'transaction',
      concurrency: 32,
      windowSize: config.consumers.window,
      commitIntervalMs: config.consumers.commitIntervalMs,
      maxWaitTimeMs: 500,
      rejectedTopic,
      // A retry the delay topic cannot take (too large) becomes a dead letter, with the reason; if that
      // cannot be produced either, the failure is set aside to ingest.rejected with its bytes.
      replaceUnpublishable: (message, error) => [
        deadLetter(topicName(prefix, TOPICS.abandoned), message.value as WorkFailed.Value, 'NOT_RETRYABLE', `its retry cannot be produced: ${error.message}`),
      ],
    },
    {
      name: DELAY_CONSUMER,
      groupId: `${prefix}retrier.delay`,
      topics: config.retry.delayTiersMs.map((tierMs) => ({ topic: retryTopicName(prefix, tierMs), contract: WorkItem })),
      sessionTimeoutMs: config.consumers.sessionTimeoutMs,
      mode: 'each',
      // Messages wait independently; a tier's release times follow its arrival order.
      ordering: 'none',
      commit: 'transaction',
      concurrency: DELAY_WINDOW * config.kafka.partitions * config.retry.delayTiersMs.length,
      windowSize: DELAY_WINDOW,
      // A fired retry is visible once committed: a short interval keeps retries on time.
      commitIntervalMs: Math.min(25, config.consumers.commitIntervalMs),
      // New retries end a fetch's wait at once (messages are held in the worker, not by pausing).
      maxWaitTimeMs: 500,
      maxBytesPerPartition: 256 * 1024,
      stuckAfterMs: longestTierMs + 120_000,
      rejectedTopic,
    },
  ];
  if (config.retry.keyCircuitFailures > 0) {
    specs.push({
      name: SUCCESSES_CONSUMER,
      groupId: `${prefix}retrier.successes`,
      // Only the keys are read: no contract, no decoding.
      topics: [{ topic: topicName(prefix, TOPICS.succeeded) }],
      sessionTimeoutMs: config.consumers.sessionTimeoutMs,
      mode: 'chunk',
      commit: 'offsets',
      concurrency: 4,
      commitIntervalMs: 1_000,
      maxWaitTimeMs: 2_000,
      minBytes: 256 * 1024,
      rejectedTopic,
    });
  }
  return specs;
}
