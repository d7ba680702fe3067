import { z } from 'zod';
import { IdentifierSchema, TimestampSchema } from '../common/identifiers';
import { FailureTypeSchema } from '../failure/failure-type';
import { AbandonReasonSchema } from '../work-abandoned/work-abandoned.schema';

/** A Kafka offset as a decimal string (int64 does not fit a JSON number). */
export const OffsetSchema = z.string().regex(/^\d{1,19}$/, 'must be an offset: an integer from 0, as a string');

/** Most item ids one selection may name. */
export const MAX_SELECTED_ITEM_IDS = 1000;

/**
 * Dead letters of the abandoned topic chosen by where they are and what they
 * say. Every criterion narrows; at least one must be given (replaying a whole
 * topic is `retry-failures`). Offsets are inclusive; `since`/`until` compare
 * with `abandonedAt`, both ends included.
 */
export const DeadLetterSelectionSchema = z.strictObject({
  kind: z.literal('dead-letters'),
  /** Dead-letter topic; default the abandoned topic under the service's TOPIC_PREFIX. */
  topic: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be a Kafka topic name').optional(),
  /** Partitions to read; every partition when absent. */
  partitions: z.array(z.number().int().nonnegative()).max(10_000).optional(),
  fromOffset: OffsetSchema.optional(),
  toOffset: OffsetSchema.optional(),
  since: TimestampSchema.optional(),
  until: TimestampSchema.optional(),
  /** The last failure's type must be one of these. */
  types: z.array(FailureTypeSchema).max(100).optional(),
  reasons: z.array(AbandonReasonSchema).optional(),
  /** The item's batch must be one of these. */
  batchIds: z.array(IdentifierSchema).max(100).optional(),
  /** The item must be one of these. */
  itemIds: z.array(IdentifierSchema).max(MAX_SELECTED_ITEM_IDS).optional(),
});
export type DeadLetterSelection = z.infer<typeof DeadLetterSelectionSchema>;

/**
 * Every abandoned item still worth retrying: the latest dead letter of each
 * item of the whole topic, without those replayed already, those that
 * succeeded since, and those a replay cannot fix (NOT_RETRYABLE, VALIDATION).
 */
export const RetryFailuresSelectionSchema = z.strictObject({
  kind: z.literal('retry-failures'),
  /** Only items whose last failure is of one of these types. */
  types: z.array(FailureTypeSchema).max(100).optional(),
  /** At most this many, those abandoned longest ago first. */
  max: z.number().int().min(1).max(10_000_000).optional(),
});
export type RetryFailuresSelection = z.infer<typeof RetryFailuresSelectionSchema>;

export const SelectionSchema = z.discriminatedUnion('kind', [DeadLetterSelectionSchema, RetryFailuresSelectionSchema]);
export type Selection = z.infer<typeof SelectionSchema>;

/** Inclusive offsets of one partition. */
export const PartitionRangeSchema = z.object({ partition: z.number().int().nonnegative(), from: OffsetSchema, to: OffsetSchema });

/**
 * A selection resolved when its replay was created, so every later run reads
 * exactly the same dead letters whatever was abandoned since: the topic, the
 * exact ranges (stopping at the high watermarks of that moment) and the filters.
 */
export const ResolvedSelectionSchema = z.object({
  origin: z.enum(['replay', 'retry-failures']),
  topic: z.string().min(1),
  ranges: z.array(PartitionRangeSchema),
  filter: z.object({
    types: z.array(FailureTypeSchema),
    reasons: z.array(AbandonReasonSchema),
    since: TimestampSchema.optional(),
    until: TimestampSchema.optional(),
    batchIds: z.array(IdentifierSchema).optional(),
    itemIds: z.array(IdentifierSchema).optional(),
  }),
  /** retry-failures `--max`. */
  max: z.number().int().positive().optional(),
  /** The request as the operator gave it, for display: `--partition 1 --from-offset 3 --to-offset 9`. */
  asked: z.string().max(2000),
});
export type ResolvedSelection = z.infer<typeof ResolvedSelectionSchema>;
