import { z } from 'zod';
import { FailureTypeSchema } from '../failure/failure-type';

/** What went wrong in one attempt, classified. */
export const FailureSchema = z.object({
  type: FailureTypeSchema,
  message: z.string().max(2000),
  code: z.string().max(200).optional(),
  retryable: z.boolean(),
  /** The downstream asked us to wait this long before trying again (Retry-After), in milliseconds. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type Failure = z.infer<typeof FailureSchema>;

/** Where a message was read from: enough to find it again in Kafka UI or replay it. */
export const SourcePositionSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.string().regex(/^\d+$/),
});
export type SourcePosition = z.infer<typeof SourcePositionSchema>;

/** One failed attempt in an item's history. Every hop keeps all of them. */
export const AttemptRecordSchema = z.object({
  attempt: z.number().int().positive(),
  failure: FailureSchema,
  failedAt: z.iso.datetime({ offset: true }),
  /** Where the failed attempt's work item was read from. */
  source: SourcePositionSchema.optional(),
  /** How long the attempt ran, in milliseconds. */
  durationMs: z.number().nonnegative().optional(),
});
export type AttemptRecord = z.infer<typeof AttemptRecordSchema>;
