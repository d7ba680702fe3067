import { z } from 'zod';
import { AttemptRecordSchema } from '../common/failure.schema';
import { IdentifierSchema, TimestampSchema, WorkTypeSchema } from '../common/identifiers';

export const EVENT_TYPE = 'WorkItem';

/** A unit of work, as published to the work topic and carried through every retry. */
export const Schema = z.object({
  itemId: IdentifierSchema,
  /** The entity the work is about (a portfolio id): the partition key, so one entity's items stay in order. */
  key: IdentifierSchema,
  type: WorkTypeSchema,
  batchId: IdentifierSchema.optional(),
  payload: z.record(z.string(), z.unknown()),
  /** 1 for the first try, +1 per retry that spends an attempt. */
  attempt: z.number().int().positive(),
  /** When the item was first accepted. */
  createdAt: TimestampSchema,
  correlationId: z.string().min(1).max(200),
  /** Every failed attempt so far, oldest first. */
  history: z.array(AttemptRecordSchema),
  /** Times this item was put back without spending an attempt (our own breaker was open). */
  deferrals: z.number().int().nonnegative().optional(),
  /** Set when the item came back through a replay. */
  replay: z
    .object({
      replayId: z.string(),
      replayedAt: TimestampSchema,
      source: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }),
    })
    .optional(),
});

export type Value = z.infer<typeof Schema>;
