import { z } from 'zod';
import { SourcePositionSchema } from '../common/failure.schema';
import { TimestampSchema } from '../common/identifiers';

const failure = z.object({
  type: z.string(),
  message: z.string(),
  code: z.string().optional(),
  retryable: z.boolean().optional(),
});

/** One failed attempt of the item. */
export const ItemAttemptSchema = z.object({
  attempt: z.number().int().positive(),
  /** The replay whose life this attempt belongs to; absent for the original submission's. */
  replayId: z.string().optional(),
  failedAt: TimestampSchema,
  failure,
  /** Where the attempt's work item was read from. */
  source: SourcePositionSchema.optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type ItemAttempt = z.infer<typeof ItemAttemptSchema>;

/** One dead letter of the item, and whether it was replayed. */
export const ItemDeadLetterSchema = z.object({
  position: SourcePositionSchema,
  reason: z.string(),
  detail: z.string(),
  lastFailureType: z.string(),
  abandonedAt: TimestampSchema,
  /** The replay whose life ended here; absent for the original one. */
  replayId: z.string().optional(),
  /** A replay took this dead letter (or a later one of the item superseded it). */
  replayed: z.boolean(),
});

/** One replay of the item. */
export const ItemReplaySchema = z.object({
  replayId: z.string(),
  replayedAt: TimestampSchema,
  /** The dead letter it was republished from. */
  source: SourcePositionSchema,
  /** What the life it started came to, as far as the stats service has read. */
  outcome: z.enum(['pending', 'recovered', 'failed-again']),
});

/**
 * `GET /v1/items/:id`: where one item is now. State from the stats service's
 * materialized view; attempts, dead letters and replays from the bounded
 * per-item history the operations consumer keeps (the latest
 * `ITEM_HISTORY_LIMIT` events of each kind).
 */
export const ItemStatusSchema = z.object({
  itemId: z.string(),
  key: z.string().nullable(),
  batchId: z.string().nullable(),
  workType: z.string().nullable(),
  /** `unknown`: events of the item were seen, but not yet its submission. */
  status: z.enum(['pending', 'succeeded', 'abandoned', 'unknown']),
  createdAt: TimestampSchema.nullable(),
  /** Failed attempts over every life. */
  failedAttempts: z.number().int().nonnegative(),
  lastFailure: z.object({ type: z.string(), message: z.string(), at: TimestampSchema }).nullable(),
  success: z.object({ at: TimestampSchema, attempt: z.number().int().positive(), replayId: z.string().optional() }).nullable(),
  attempts: z.array(ItemAttemptSchema),
  deadLetters: z.array(ItemDeadLetterSchema),
  replays: z.array(ItemReplaySchema),
  asOf: TimestampSchema,
});
export type ItemStatus = z.infer<typeof ItemStatusSchema>;
