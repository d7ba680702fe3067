import { z } from 'zod';
import { IdentifierSchema, TimestampSchema } from '../common/identifiers';

export const EVENT_TYPE = 'Alert';

/**
 * A raise or a clear of an operational alert, published by the stats service
 * to the alerts topic (keyed by `rule`, so one rule's events stay in order) and
 * POSTed as-is to ALERT_WEBHOOK_URL. Each incident is raised once and cleared
 * once; both events share `incidentId`. Delivery is at-least-once: a consumer
 * de-duplicates by `alertId`.
 */
export const Schema = z.object({
  /** Unique per event and stable across redeliveries: `<incidentId>:RAISED` or `<incidentId>:CLEARED`. */
  alertId: z.string().min(1).max(300),
  /** Shared by the raise and its clear, e.g. `LOW_SUCCESS_RATE-1763632800000`. */
  incidentId: z.string().min(1).max(250),
  /** The rule, e.g. LOW_SUCCESS_RATE, ACCUMULATED_FAILURES, STUCK_PENDING, HIGH_ERROR_RATE (UPPER_SNAKE_CASE). */
  rule: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
  status: z.enum(['RAISED', 'CLEARED']),
  severity: z.enum(['warning', 'critical']),
  /** What the rule looked at: every item (`overall`) or one batch. */
  scope: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('overall') }),
    z.object({ kind: z.literal('batch'), batchId: IdentifierSchema }),
  ]),
  /** The measured value when the event was decided, in `unit`; null if there was none. */
  value: z.number().nullable(),
  /** The raise threshold, in `unit`. */
  threshold: z.number(),
  /** The clear threshold (the raise threshold moved back by the rule's margin), in `unit`. */
  clearThreshold: z.number(),
  /** `ratio`: a fraction (0.85 = 85%); `count`: items; `ms`: milliseconds. */
  unit: z.enum(['ratio', 'count', 'ms']),
  /** One human-readable line, e.g. "success rate 80.0% is below 85.0% (80 of 100 finished items succeeded)". */
  message: z.string().max(2000),
  /** When the incident was raised. */
  raisedAt: TimestampSchema,
  /** When it cleared; only on CLEARED. */
  clearedAt: TimestampSchema.optional(),
  /** When this event was decided. */
  occurredAt: TimestampSchema,
});

export type Value = z.infer<typeof Schema>;
