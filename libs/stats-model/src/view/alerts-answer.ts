import { z } from 'zod';
import { ALERT_RULES, RULE_DEFINITIONS, type AlertRule, type AlertThresholds } from '../alerts/alert-rules';
import type { AlertState } from '../alerts/evaluate-alerts';

/** One rule in `GET /v1/alerts`. */
export const RuleAlertSchema = z.object({
  rule: z.enum(ALERT_RULES),
  /** Evaluated by this deployment (ALERT_RULES); a rule left out stays as it was last stored. */
  enabled: z.boolean(),
  state: z.enum(['raised', 'clear']),
  /** When the rule last changed state, ISO-8601; null while it never has. */
  since: z.string().nullable(),
  /** The incident while raised (shared by its raise and its clear, as in the alert events); else null. */
  incidentId: z.string().nullable(),
  severity: z.enum(['warning', 'critical']),
  /** Unit of `value`, `threshold` and `clearThreshold`: a fraction (`ratio`: 0.85 = 85%), a `count`, or `ms`. */
  unit: z.enum(['ratio', 'count', 'ms']),
  /** The value measured when the rule last changed state; null when not known. */
  value: z.number().nullable(),
  /** The raise threshold, as configured now. */
  threshold: z.number(),
  /** The clear threshold (the raise threshold moved back by its margin), as configured now. */
  clearThreshold: z.number(),
  /** What the last change said, e.g. `success rate 50.0% is below 85.0% (2 of 4 finished items succeeded)`; null when not known. */
  message: z.string().nullable(),
});
export type RuleAlert = z.infer<typeof RuleAlertSchema>;

/**
 * `GET /v1/alerts`: every alert rule, in `ALERT_RULES` order, as the stats service keeps it in
 * Redis (shared by every instance: the same answer whichever instance is asked).
 */
export const AlertsAnswerSchema = z.object({
  alerts: z.array(RuleAlertSchema),
  asOf: z.string(),
});
export type AlertsAnswer = z.infer<typeof AlertsAnswerSchema>;

/** The answer from the stored states (a rule without one has never changed state: clear). */
export function buildAlertsAnswer(states: Partial<Record<AlertRule, AlertState>>, thresholds: AlertThresholds, nowMs: number): AlertsAnswer {
  const alerts = ALERT_RULES.map((rule): RuleAlert => {
    const definition = RULE_DEFINITIONS[rule];
    const state = states[rule];
    const raised = state?.status === 'raised';
    return {
      rule,
      enabled: thresholds.enabled.includes(rule),
      state: raised ? 'raised' : 'clear',
      since: state && state.changedAtMs > 0 ? new Date(state.changedAtMs).toISOString() : null,
      incidentId: raised ? (state.incidentId ?? null) : null,
      severity: definition.severity,
      unit: definition.unit,
      value: state?.value ?? null,
      threshold: definition.threshold(thresholds),
      clearThreshold: definition.clearThreshold(thresholds),
      message: state?.message ?? null,
    };
  });
  return { alerts, asOf: new Date(nowMs).toISOString() };
}
