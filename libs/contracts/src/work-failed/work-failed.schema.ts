import { z } from 'zod';
import { FailureSchema, SourcePositionSchema } from '../common/failure.schema';
import { TimestampSchema } from '../common/identifiers';
import { Schema as WorkItemSchema } from '../work-item/work-item.schema';

export const EVENT_TYPE = 'WorkFailed';

/** One failed attempt. Carries the whole item so the retrier needs no state of its own. */
export const Schema = z.object({
  item: WorkItemSchema,
  failure: FailureSchema,
  failedAt: TimestampSchema,
  /** Handler run time of this attempt, in milliseconds. */
  durationMs: z.number().nonnegative(),
  source: SourcePositionSchema,
});

export type Value = z.infer<typeof Schema>;
