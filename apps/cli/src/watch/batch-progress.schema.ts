import { z } from 'zod';

const rate = z.number().nullable();

/** One `progress` / `complete` event of `GET /v1/batches/:id/events` (the stats service's live progress). */
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
