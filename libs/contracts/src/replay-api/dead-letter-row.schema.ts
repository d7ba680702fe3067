import { z } from 'zod';
import { OffsetSchema } from './replay-selection.schema';

/** One dead letter as a dry run lists it. */
export const DeadLetterRowSchema = z.object({
  partition: z.number().int().nonnegative(),
  offset: OffsetSchema,
  itemId: z.string(),
  key: z.string(),
  lastFailureType: z.string(),
  reason: z.string(),
  /** Failed attempts in the item's history. */
  attempts: z.number().int().nonnegative(),
  abandonedAt: z.string(),
  message: z.string(),
});
export type DeadLetterRow = z.infer<typeof DeadLetterRowSchema>;
