import { z } from 'zod';
import { FailureTypeSchema, IdentifierSchema } from '@workpipe/contracts';

const integer = (name: string) => z.coerce.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`);

/** `GET /v1/stats`. */
export const StatsQuerySchema = z.strictObject({
  /** Minutes of per-minute series, ending now. */
  minutes: integer('minutes').min(1).max(1440).default(60),
});

export const BatchIdSchema = IdentifierSchema;

/** `GET /v1/failures` and `/v1/failures.csv`. */
export const FailuresFilterSchema = z.strictObject({
  type: FailureTypeSchema.optional(),
  status: z.enum(['retryable', 'abandoned'], { message: 'status must be "retryable" or "abandoned"' }).optional(),
  olderThanMinutes: z.coerce.number({ message: 'olderThanMinutes must be a number' }).nonnegative().optional(),
  batchId: IdentifierSchema.optional(),
});

export const FailuresQuerySchema = FailuresFilterSchema.extend({
  limit: integer('limit').min(1).max(1000).default(100),
  offset: integer('offset').min(0).default(0),
});

/** `GET /v1/batches/:id/events`. */
export const BatchEventsQuerySchema = z.strictObject({
  /** Items the batch will have: `complete` waits until that many are known and none is pending. */
  expected: integer('expected').min(1).optional(),
});
