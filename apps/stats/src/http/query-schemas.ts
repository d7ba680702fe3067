import { z } from 'zod';
import { ABANDON_REASONS, FailureTypeSchema, IdentifierSchema } from '@workpipe/contracts';

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

/** An endpoint that takes no query parameter (`GET /v1/alerts`, `GET /v1/me`): one given is a mistake, said as such. */
export const NoQuerySchema = z.strictObject({});

/** `GET /v1/stats`. */
export const StatsQuerySchema = z.strictObject({
  /** Minutes of per-minute series, ending now. */
  minutes: wholeNumber('minutes', 1, 1440).default(60),
});

export const BatchIdSchema = IdentifierSchema;

const MINUTES_MESSAGE = 'olderThanMinutes must be a number of minutes, 0 or more';

const REASON_MESSAGE = `reason must be one of ${ABANDON_REASONS.join(', ')}`;

const FAILURES_FILTER = {
  type: FailureTypeSchema.optional(),
  status: z.enum(['retryable', 'abandoned'], { message: 'status must be "retryable" or "abandoned"' }).optional(),
  /** The abandonment's reason: selects abandoned items only. */
  reason: z.enum(ABANDON_REASONS, { message: REASON_MESSAGE }).optional(),
  olderThanMinutes: z
    .string({ message: MINUTES_MESSAGE })
    .regex(/^\+?\d{1,9}(?:\.\d{1,6})?$/, MINUTES_MESSAGE)
    .transform(Number)
    .optional(),
  batchId: IdentifierSchema.optional(),
};

/** A reason selects abandoned items: with `status=retryable` the answer could only ever be empty, so it is a mistake to say. */
function reasonNeedsAbandoned(filter: { status?: string; reason?: string }, context: z.RefinementCtx): void {
  if (filter.reason !== undefined && filter.status === 'retryable') {
    context.addIssue({ code: 'custom', path: ['reason'], message: 'a reason selects abandoned items: leave status out or make it "abandoned"' });
  }
}

/**
 * `GET /v1/failures.csv` (and the filter of `GET /v1/failures`). `type` must also be a type the
 * service knows (checked by the controller).
 */
export const FailuresFilterSchema = z.strictObject(FAILURES_FILTER).superRefine(reasonNeedsAbandoned);

/** `GET /v1/failures`: the filter and a page. */
export const FailuresQuerySchema = z
  .strictObject({
    ...FAILURES_FILTER,
    limit: wholeNumber('limit', 1, 1000).default(100),
    offset: wholeNumber('offset', 0, 10_000_000).default(0),
  })
  .superRefine(reasonNeedsAbandoned);

/** `GET /v1/batches/:id/events`. */
export const BatchEventsQuerySchema = z.strictObject({
  /** Items the batch will have: `complete` waits until that many are known and none is pending. */
  expected: wholeNumber('expected', 1, 1_000_000_000).optional(),
});
