import { z } from 'zod';
import { FailureTypeSchema, IdentifierSchema } from '@workpipe/contracts';

/**
 * A whole number within a range, from a query string: one message for every way it can be wrong
 * (not a number, a fraction, out of range), saying what is allowed.
 */
const wholeNumber = (name: string, min: number, max?: number) => {
  const message = `${name} must be a whole number ${max === undefined ? `of ${min} or more` : `from ${min} to ${max}`}`;
  return z
    .string({ message })
    .regex(/^[+-]?\d{1,15}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max ?? Number.MAX_SAFE_INTEGER, message));
};

/** `GET /v1/stats`. */
export const StatsQuerySchema = z.strictObject({
  /** Minutes of per-minute series, ending now. */
  minutes: wholeNumber('minutes', 1, 1440).default(60),
});

export const BatchIdSchema = IdentifierSchema;

const MINUTES_MESSAGE = 'olderThanMinutes must be a number of minutes, 0 or more';

/** `GET /v1/failures` and `/v1/failures.csv`. `type` must also be a type the service knows (checked by the controller). */
export const FailuresFilterSchema = z.strictObject({
  type: FailureTypeSchema.optional(),
  status: z.enum(['retryable', 'abandoned'], { message: 'status must be "retryable" or "abandoned"' }).optional(),
  olderThanMinutes: z
    .string({ message: MINUTES_MESSAGE })
    .regex(/^\+?\d{1,9}(?:\.\d{1,6})?$/, MINUTES_MESSAGE)
    .transform(Number)
    .optional(),
  batchId: IdentifierSchema.optional(),
});

export const FailuresQuerySchema = FailuresFilterSchema.extend({
  limit: wholeNumber('limit', 1, 1000).default(100),
  offset: wholeNumber('offset', 0, 10_000_000).default(0),
});

/** `GET /v1/batches/:id/events`. */
export const BatchEventsQuerySchema = z.strictObject({
  /** Items the batch will have: `complete` waits until that many are known and none is pending. */
  expected: wholeNumber('expected', 1, 1_000_000_000).optional(),
});
