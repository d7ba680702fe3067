import { z } from 'zod';
import { FailureSchema } from '../common/failure.schema';
import { TimestampSchema } from '../common/identifiers';
import { Schema as WorkItemSchema } from '../work-item/work-item.schema';

export const EVENT_TYPE = 'WorkAbandoned';

/**
 * Why an item was given up:
 * - MAX_ATTEMPTS: the attempt that failed was the last one its failure type allows;
 * - NOT_RETRYABLE: the failure type, or the failure itself, says retrying cannot help;
 * - CIRCUIT_OPEN: deferred by an open circuit breaker too many times, or its key is isolated by the retrier.
 */
export const ABANDON_REASONS = ['MAX_ATTEMPTS', 'NOT_RETRYABLE', 'CIRCUIT_OPEN'] as const;
export const AbandonReasonSchema = z.enum(ABANDON_REASONS);
export type AbandonReason = z.infer<typeof AbandonReasonSchema>;

/** A dead letter: the original item with every attempt's failure (in `item.history`) and why we gave up. */
export const Schema = z.object({
  item: WorkItemSchema,
  reason: AbandonReasonSchema,
  /** Human-readable detail, e.g. "API_ERROR allows 5 attempts". */
  detail: z.string().max(2000),
  lastFailure: FailureSchema,
  abandonedAt: TimestampSchema,
});

export type Value = z.infer<typeof Schema>;
