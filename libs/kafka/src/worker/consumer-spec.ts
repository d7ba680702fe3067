import type { PayloadValidationError } from '../errors/payload-validation-error';
import type { RecordTooLargeError } from '../errors/record-too-large-error';
import type { EventContract } from '../schema-registry/event-contract';
import type { Output } from './output';
import type { Ordering } from './partition-window';
import type { WorkerMessage } from './worker-message';

/**
 * What an `each` consumer produces instead when a message's outputs cannot be
 * produced (over the topic's size limit, or not serialisable). Without one, or
 * when the replacement cannot be produced either, the message is set aside to
 * the rejected topic with the reason.
 */
export type UnpublishableReplacement = (message: WorkerMessage, error: RecordTooLargeError | PayloadValidationError) => readonly Output[];

/** A topic a consumer reads, and the contract its values are decoded with (none: the raw bytes). */
export interface TopicSubscription {
  topic: string;
  contract?: EventContract;
  /**
   * What becomes of a message that does not decode: `reject` (default) sets it
   * aside to the rejected topic; `deliver` hands it to the handler with
   * `poison` set and no value, for a consumer that is not the topic's owner
   * (the owner sets it aside; a second reader only counts it).
   */
  poison?: 'reject' | 'deliver';
}

/**
 * How offsets (and outputs) are committed:
 * - `transaction`: each partition's outputs and its consumed offset in one Kafka
 *   transaction, by a producer whose transactional id belongs to that
 *   partition, so a new owner fences the old one (exactly one visible output
 *   per message for `read_committed` readers);
 * - `offsets`: outputs published (idempotent producer), then offsets committed
 *   (at least once);
 * - `external`: the handler stores its position itself (e.g. with its state in
 *   Redis) and `resumeAt` says where each assigned partition resumes; group
 *   offsets are still committed, for lag monitoring.
 */
export type CommitMode = 'transaction' | 'offsets' | 'external';

/** Everything about one consumer but its handler. Every field has a unit and a default. */
export interface ConsumerSpec {
  /** The consumer's name and its handler's pattern (`@EventPattern(name)`), e.g. `processor.work`. */
  name: string;
  groupId: string;
  topics: TopicSubscription[];
  /**
   * `each`: the handler gets one message; messages of different keys run
   * concurrently up to `concurrency` (per-key order with `ordering: 'key'`).
   * `chunk`: the handler gets up to `chunkSize` messages of one partition in
   * offset order; one chunk per partition at a time.
   */
  mode: 'each' | 'chunk';
  commit: CommitMode;
  /** Default `key`: one key's messages run one after another, in offset order. */
  ordering?: Ordering;
  /** Messages (or chunks) handled at once by this consumer, across its partitions. Default 8. */
  concurrency?: number;
  /** Messages of a partition held between its committed offset and the last fetched one; the partition is paused while full. Default 1000. */
  windowSize?: number;
  /** Most messages per chunk in `chunk` mode. Default 500. */
  chunkSize?: number;
  /** How often finished work is committed, in milliseconds. Default 100. */
  commitIntervalMs?: number;
  /**
   * Longest wait of a fetch for new data, in milliseconds (kafkajs
   * `maxWaitTimeInMs`): new data ends the wait at once (unless `minBytes` asks
   * for more), so a longer wait spares an idle consumer its polling. But
   * kafkajs also sleeps this long whenever every partition is paused (windows
   * full, or the seek after an assignment), and a resumed partition joins the
   * next fetch only: keep it short where that latency matters. Default 1000.
   */
  maxWaitTimeMs?: number;
  /**
   * Bytes a fetch waits for (up to `maxWaitTimeMs`) before it answers (kafkajs
   * `minBytes`): fewer, larger batches for consumers where a little latency
   * buys much less work per message. Default 1 (answer as soon as anything is there).
   */
  minBytes?: number;
  /** Most bytes fetched per partition per request (kafkajs `maxBytesPerPartition`). Default 1 MiB. */
  maxBytesPerPartition?: number;
  /**
   * How long the group waits for a member that stopped heartbeating before
   * its partitions go to the others, in milliseconds (a crashed instance's
   * partitions stall this long). Default 30000; the broker accepts 6000 to 300000.
   */
  sessionTimeoutMs?: number;
  /** A message or chunk handled longer than this, in milliseconds, turns readiness red (stuck). Default 120000. */
  stuckAfterMs?: number;
  /**
   * A consumer that has not fetched for this long, in milliseconds, while it
   * should (joined or joining, not stopping), is restarted as if it had
   * crashed: kafkajs can stop fetching without a crash event (seen after a
   * broker restart), and a consumer that neither fetches nor fails would keep
   * readiness green forever. A healthy consumer fetches at least every
   * `maxWaitTimeMs`, paused or not; a rebalance counts as progress. Default 90000.
   */
  fetchStallMs?: number;
  /**
   * `external` commits: where each partition resumes (the offset of the next
   * message to read); absent = from the beginning. Asked on every assignment,
   * and again whenever a handler throws `ResumePositionLostError`.
   */
  resumeAt?: (topic: string, partitions: readonly number[]) => Promise<Map<number, string>>;
  /** Topic that undecodable messages and tombstones go to, with their bytes and position. */
  rejectedTopic: string;
  replaceUnpublishable?: UnpublishableReplacement;
}

export const CONSUMER_DEFAULTS = {
  ordering: 'key',
  concurrency: 8,
  windowSize: 1000,
  chunkSize: 500,
  commitIntervalMs: 100,
  maxWaitTimeMs: 1000,
  minBytes: 1,
  maxBytesPerPartition: 1024 * 1024,
  sessionTimeoutMs: 30_000,
  stuckAfterMs: 120_000,
  fetchStallMs: 90_000,
} as const satisfies Partial<ConsumerSpec>;

export type ResolvedConsumerSpec = ConsumerSpec & Required<Pick<ConsumerSpec, keyof typeof CONSUMER_DEFAULTS>>;

export function resolveConsumerSpec(spec: ConsumerSpec): ResolvedConsumerSpec {
  const resolved = { ...CONSUMER_DEFAULTS, ...stripUndefined(spec) } as ResolvedConsumerSpec;
  for (const field of ['concurrency', 'windowSize', 'chunkSize', 'commitIntervalMs', 'maxWaitTimeMs', 'minBytes', 'maxBytesPerPartition', 'sessionTimeoutMs', 'stuckAfterMs', 'fetchStallMs'] as const) {
    const value = resolved[field];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`consumer ${spec.name}: ${field} must be a positive integer, got ${value}`);
  }
  if (spec.commit === 'external' && !spec.resumeAt) throw new RangeError(`consumer ${spec.name}: external commits need resumeAt`);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
