import { z } from 'zod';

/** The ingestor's answer to `POST /v1/batches` (202, 400 or 409), checked before the CLI trusts its indexes. */
export { SubmissionResultSchema } from '@workpipe/contracts';

/** The error body every service answers with (`HttpErrorFilter`). */
export const ErrorBodySchema = z.looseObject({
  statusCode: z.number().optional(),
  error: z.string().optional(),
  message: z.union([z.string(), z.array(z.string())]).optional(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
