import { z } from 'zod';
import { AttemptRecordSchema } from '../common/failure.schema';
import { IdentifierSchema, TimestampSchema, WorkTypeSchema } from '../common/identifiers';

export const EVENT_TYPE = 'WorkItem';

/** Most attempt records an item carries (each failure message is at most 2000 characters). */
export const MAX_HISTORY_RECORDS = 20;

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
  /**
   * The failed attempts so far, oldest first: all of them up to
   * {@link MAX_HISTORY_RECORDS}, then the first one and the latest ones (the
   * count of those left out is `historyDropped`), so no item can outgrow the
   * broker's size limit through retries and replays.
   */
  history: z.array(AttemptRecordSchema).max(MAX_HISTORY_RECORDS),
  /** Failed attempts left out of `history` (between its first record and the kept latest ones). */
  historyDropped: z.number().int().nonnegative().optional(),
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
