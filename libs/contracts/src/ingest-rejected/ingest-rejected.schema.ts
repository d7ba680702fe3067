import { z } from 'zod';
import { TimestampSchema } from '../common/identifiers';

export const EVENT_TYPE = 'IngestRejected';

/** An event from a source topic that could not be decoded or mapped. Kept whole for inspection and replay. */
export const Schema = z.object({
  sourceTopic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.string(),
  /** The message key and value exactly as received, base64. */
  keyBase64: z.string().nullable(),
  valueBase64: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  reason: z.string().max(2000),
  rejectedAt: TimestampSchema,
});

export type Value = z.infer<typeof Schema>;
