import { z } from 'zod';
import { AttemptRecordSchema, SourcePositionSchema } from '../common/failure.schema';
import { IdentifierSchema, TimestampSchema, WorkTypeSchema } from '../common/identifiers';

export const EVENT_TYPE = 'WorkSucceeded';

/** One successful attempt. */
export const Schema = z.object({
  itemId: IdentifierSchema,
  key: IdentifierSchema,
  type: WorkTypeSchema,
  batchId: IdentifierSchema.optional(),
  attempt: z.number().int().positive(),
  correlationId: z.string().min(1).max(200),
  /** When the item was first accepted (for time-to-success). */
  createdAt: TimestampSchema,
  completedAt: TimestampSchema,
  /** Handler run time of this attempt, in milliseconds. */
  durationMs: z.number().nonnegative(),
  /** What the handler produced, summarized (never the whole body). */
  result: z.record(z.string(), z.unknown()),
  /** The failed attempts before this success (bounded as the item's, see `WorkItem.history`). */
  history: z.array(AttemptRecordSchema),
  /** Failed attempts left out of `history`. */
  historyDropped: z.number().int().nonnegative().optional(),
  source: SourcePositionSchema,
  replayId: z.string().optional(),
});

export type Value = z.infer<typeof Schema>;
