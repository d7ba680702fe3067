import { z } from 'zod';
import { IdentifierSchema, WorkTypeSchema } from '../common/identifiers';

// The structure limits of an item travel with its schema (the package index re-exports this file).
export * from './submission-structure';

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

/**
 * What happened to each item of a submission, by its index in the request (the ingestor's answer).
 * When nothing was accepted it also carries the API's error fields (`statusCode`, `error`, `message`).
 */
export const SubmissionResultSchema = z.object({
  statusCode: z.number().int().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  batchId: z.string().optional(),
  correlationId: z.string(),
  accepted: z.array(z.object({ index: z.number().int().nonnegative(), itemId: z.string() })),
  rejected: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      itemId: z.string().optional(),
      reason: z.string(),
      /** `TOO_LARGE`: the item's event is over the work topic's size limit; otherwise the item is invalid. */
      code: z.enum(['INVALID', 'TOO_LARGE']).optional(),
    }),
  ),
  duplicates: z.array(z.object({ index: z.number().int().nonnegative(), itemId: z.string(), reason: z.enum(DUPLICATE_REASONS) })),
  counts: z.object({ accepted: z.number(), rejected: z.number(), duplicates: z.number() }),
});
export type SubmissionResult = z.infer<typeof SubmissionResultSchema>;
