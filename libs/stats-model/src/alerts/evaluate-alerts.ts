import {
  formatValue,
  RULE_DEFINITIONS,
  type AlertMetrics,
  type AlertRule,
  type AlertSeverity,
  type AlertThresholds,
  type AlertUnit,
  type RuleDefinition,
} from './alert-rules';

/** What is remembered of one rule between evaluations (kept in Redis by the service). */
export interface AlertState {
  status: 'clear' | 'raised';
  /** Set while raised: the id shared by the raise and its clear. */
  incidentId?: string;
  /** When the current incident was raised, epoch ms. */
  raisedAtMs?: number;
  /** When the status last changed, epoch ms. */
  changedAtMs: number;
  /** The rule's value measured at that change, in the rule's unit (absent in states stored before it was kept). */
  value?: number;
  /** What the change said (the alert event's message). */
  message?: string;
}

export const INITIAL_ALERT_STATE: AlertState = { status: 'clear', changedAtMs: 0 };

/** A raise or a clear, everything the alert event needs. */
export interface AlertTransition {
  rule: AlertRule;
  status: 'RAISED' | 'CLEARED';
  incidentId: string;
  severity: AlertSeverity;
  unit: AlertUnit;
  value: number | null;
  threshold: number;
  clearThreshold: number;
  message: string;
  raisedAtMs: number;
  atMs: number;
}

export interface RuleDecision {
  rule: AlertRule;
  /** The state to store; the same object as the input when nothing changed. */
  next: AlertState;
  transition?: AlertTransition;
}

/**
 * One rule, with hysteresis, so an alert is raised once and cleared once:
 *
 * - a clear rule raises when the measurement is sufficient and beyond the threshold
 *   (`below`: value < threshold; `above`: value > threshold);
 * - a raised rule clears only when the measurement is sufficient, back past the
 *   *clear* threshold (the threshold moved by the rule's margin: `below`: value >=
 *   threshold + margin; `above`: value <= threshold - margin), and the alert has
 *   been raised for at least `minActiveMs`;
 * - with too little data (`sufficient: false`) the state is kept.
 *
 * Worked example, success rate (threshold 85%, margin 2 points, minActiveMs 60 s):
 * 80% raises; 86% keeps it raised (inside the band); 87% one minute after the raise clears it;
 * 84% later raises a new incident.
 */
export function evaluateRule(
  rule: AlertRule,
  metrics: AlertMetrics,
  thresholds: AlertThresholds,
  state: AlertState = INITIAL_ALERT_STATE,
): RuleDecision {
  const definition = RULE_DEFINITIONS[rule];
  const reading = definition.measure(metrics, thresholds);
  const threshold = definition.threshold(thresholds);
  const clearThreshold = definition.clearThreshold(thresholds);
  const now = metrics.nowMs;
  if (!reading.sufficient || reading.value === null) return { rule, next: state };

  if (state.status === 'clear') {
    if (!beyond(definition, reading.value, threshold)) return { rule, next: state };
    const incidentId = `${rule}-${now}`;
    const message =
      `${label(rule)} ${formatValue(definition.unit, reading.value)} is ${definition.direction} ` +
      `${formatValue(definition.unit, threshold)} (${reading.detail})`;
    const next: AlertState = { status: 'raised', incidentId, raisedAtMs: now, changedAtMs: now, value: reading.value, message };
    return { rule, next, transition: transition(definition, 'RAISED', incidentId, now, now, reading.value, threshold, clearThreshold, message) };
  }

  const raisedAtMs = state.raisedAtMs ?? state.changedAtMs;
  if (!recovered(definition, reading.value, clearThreshold) || now - raisedAtMs < thresholds.minActiveMs) {
    return { rule, next: state };
  }
  const incidentId = state.incidentId ?? `${rule}-${raisedAtMs}`;
  const message =
    `${label(rule)} back to ${formatValue(definition.unit, reading.value)} ` +
    `(${definition.direction === 'below' ? 'at or above' : 'at or below'} ${formatValue(definition.unit, clearThreshold)}; ${reading.detail})`;
  const next: AlertState = { status: 'clear', changedAtMs: now, value: reading.value, message };
  return {
    rule,
    next,
    transition: transition(definition, 'CLEARED', incidentId, raisedAtMs, now, reading.value, threshold, clearThreshold, message),
  };
}

/** Every enabled rule. */
export function evaluateAlerts(
  metrics: AlertMetrics,
  thresholds: AlertThresholds,
  states: Partial<Record<AlertRule, AlertState>>,
): RuleDecision[] {
  return thresholds.enabled.map((rule) => evaluateRule(rule, metrics, thresholds, states[rule]));
}

function beyond(definition: RuleDefinition, value: number, threshold: number): boolean {
  return definition.direction === 'below' ? value < threshold : value > threshold;
}

function recovered(definition: RuleDefinition, value: number, clearThreshold: number): boolean {
  return definition.direction === 'below' ? value >= clearThreshold : value <= clearThreshold;
}

function transition(
  definition: RuleDefinition,
  status: 'RAISED' | 'CLEARED',
  incidentId: string,
  raisedAtMs: number,
  atMs: number,
  value: number,
  threshold: number,
  clearThreshold: number,
  message: string,
): AlertTransition {
  return {
    rule: definition.rule,
    status,
    incidentId,
    severity: definition.severity,
    unit: definition.unit,
    value,
    threshold,
    clearThreshold,
    message,
    raisedAtMs,
    atMs,
  };
}

function label(rule: AlertRule): string {
  switch (rule) {
    case 'LOW_SUCCESS_RATE':
      return 'success rate';
    case 'ACCUMULATED_FAILURES':
      return 'failures outstanding';
    case 'STUCK_PENDING':
      return 'oldest pending item age';
    case 'HIGH_ERROR_RATE':
      return 'error rate';
  }
}
