import { z } from 'zod';

const rate = z.number().nullable();

/**
 * `GET /v1/stats` and `GET /v1/batches/:id` as operator tools read them: the
 * failure types seen. Loose: the answer holds much more.
 */
export const FailureTypesAnswerSchema = z.looseObject({
  failures: z.looseObject({ itemsByType: z.record(z.string(), z.number()) }),
  abandoned: z.looseObject({ byType: z.record(z.string(), z.number()) }),
});
export type FailureTypesAnswer = z.infer<typeof FailureTypesAnswerSchema>;

/** One `progress` / `complete` event of `GET /v1/batches/:id/events` (live progress of a batch). */
export const BatchProgressSchema = z.looseObject({
  batchId: z.string(),
  known: z.boolean(),
  items: z.object({ submitted: z.number(), pending: z.number(), succeeded: z.number(), abandoned: z.number() }),
  retryable: z.number(),
  failedAttempts: z.number(),
  retriesScheduled: z.number(),
  rates: z.looseObject({ success: rate, firstPassSuccess: rate, recovery: rate }),
  expected: z.number().nullable(),
  complete: z.boolean(),
  asOf: z.string(),
});
export type BatchProgress = z.infer<typeof BatchProgressSchema>;
