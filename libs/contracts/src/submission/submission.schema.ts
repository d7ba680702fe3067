import { z } from 'zod';
import { IdentifierSchema, WorkTypeSchema } from '../common/identifiers';

/** Most items one `POST /v1/batches` takes; larger batches get 413 and should be split. */
export const MAX_BATCH_ITEMS = 1000;

/**
 * One item as a client submits it (HTTP body, CLI file row, mapped source event).
 * Without `itemId`, the id is derived from type, key and payload, so submitting
 * the same content twice is caught as a duplicate.
 */
export const ItemSubmissionSchema = z.strictObject({
  itemId: IdentifierSchema.optional(),
  key: IdentifierSchema,
  type: WorkTypeSchema,
  payload: z.record(z.string(), z.unknown()).default({}),
  batchId: IdentifierSchema.optional(),
});
export type ItemSubmission = z.infer<typeof ItemSubmissionSchema>;

/** A batch: items are validated one by one, so one bad item does not sink the others. */
export const BatchSubmissionSchema = z.strictObject({
  batchId: IdentifierSchema.optional(),
  items: z.array(z.unknown()).min(1, 'a batch needs at least one item'),
});
export type BatchSubmission = z.infer<typeof BatchSubmissionSchema>;

export const DUPLICATE_REASONS = ['DUPLICATE_IN_REQUEST', 'ALREADY_ACCEPTED', 'IN_FLIGHT'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** What happened to each item of a submission, by its index in the request. */
export interface SubmissionResult {
  batchId?: string;
  correlationId: string;
  accepted: { index: number; itemId: string }[];
  rejected: { index: number; itemId?: string; reason: string }[];
  duplicates: { index: number; itemId: string; reason: DuplicateReason }[];
  counts: { accepted: number; rejected: number; duplicates: number };
}
