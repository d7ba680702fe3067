import { z } from 'zod';

/**
 * `GET /v1/failures` as operator tools read it: the total and, per item, what
 * they print. Loose: the service may add fields.
 */
export const FailurePageSchema = z.looseObject({
  total: z.number().int().nonnegative(),
  items: z.array(z.looseObject({ itemId: z.string(), firstFailureAt: z.string().nullable() })),
});
export type FailurePage = z.infer<typeof FailurePageSchema>;

/** `POST /v1/failures/clear-old`. */
export const ClearOldResultSchema = z.object({ hidden: z.number().int().nonnegative(), cutoff: z.string() });
export type ClearOldResult = z.infer<typeof ClearOldResultSchema>;
