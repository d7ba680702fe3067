import { z } from 'zod';
import { AlertsAnswerSchema, RuleAlertSchema } from '@workpipe/stats-model';

/**
 * Where the webhook delivery of one alert event stands, as `GET /v1/alerts` answers it for the
 * rule's latest event (kept in the alerts hash of Redis, next to the rule's state):
 *
 * - `pending`: queued, or waiting for its next try after a failed one (`nextAttemptAt`);
 * - `delivered`: the webhook answered a 2xx (after `attempts` POSTs);
 * - `failed`: every try failed (`attempts` = ALERT_WEBHOOK_RETRIES + 1); not tried again.
 */
export const WebhookDeliverySchema = z.object({
  /** The event's `alertId` (`<incidentId>:RAISED` or `:CLEARED`), the `x-alert-id` header of its POSTs. */
  alertId: z.string(),
  status: z.enum(['RAISED', 'CLEARED']),
  /** The event's `occurredAt`, ISO-8601: a rule shows the delivery of its latest event. */
  occurredAt: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  /** POSTs made so far. */
  attempts: z.number().int().nonnegative(),
  /** Why the last failed POST failed (`HTTP 500`, `no answer within 5000 ms (timed out)`, a connection error); null if none failed. */
  lastError: z.string().nullable(),
  /** When the next POST is due, ISO-8601, while `pending`; else null. */
  nextAttemptAt: z.string().nullable(),
  /** When this was last written, ISO-8601. */
  updatedAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** The field of the alerts hash holding a rule's latest webhook delivery (the rules' states are the fields named by the rule). */
export function webhookDeliveryField(rule: string): string {
  return `webhook:${rule}`;
}

/** `GET /v1/alerts` with each rule's latest webhook delivery (null: none recorded, e.g. no ALERT_WEBHOOK_URL). */
export const AlertsWithDeliveryAnswerSchema = AlertsAnswerSchema.extend({
  alerts: z.array(RuleAlertSchema.extend({ delivery: WebhookDeliverySchema.nullable() })),
});
export type AlertsWithDeliveryAnswer = z.infer<typeof AlertsWithDeliveryAnswerSchema>;

