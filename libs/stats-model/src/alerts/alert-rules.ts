/**
 * The alert rules of the seeds (`Alertas Recomendados`, and "stuck > 1 h"),
 * as data: what each measures and in which direction it breaches.
 */
export const ALERT_RULES = ['LOW_SUCCESS_RATE', 'ACCUMULATED_FAILURES', 'STUCK_PENDING', 'HIGH_ERROR_RATE'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export type AlertSeverity = 'warning' | 'critical';
export type AlertUnit = 'ratio' | 'count' | 'ms';

/** What the rules look at, read from the overall numbers at one instant. */
export interface AlertMetrics {
  /** Evaluation time, epoch ms. */
  nowMs: number;
  succeeded: number;
  abandoned: number;
  /** Items failed and waiting for a retry. */
  retryable: number;
  /** createdAt of the oldest pending item, epoch ms; null when nothing is pending. */
  oldestPendingCreatedAtMs: number | null;
  /** Failed attempts in the error-rate window. */
  windowFailedAttempts: number;
  /** Items that succeeded in the error-rate window. */
  windowSucceeded: number;
}

/** Thresholds of every rule. Ratios are fractions (0.85 = 85%). */
export interface AlertThresholds {
  successRate: {
    /** Raise when succeeded / finished drops below this ratio. Default 0.85 (seed: "taxa de sucesso < 85%"). */
    below: number;
    /** Clear only once the rate is back at `below + clearMargin` or more. Default 0.02. */
    clearMargin: number;
    /** No verdict until this many items are finished (succeeded or abandoned), to avoid noise at the start. Count, default 20. */
    minFinished: number;
  };
  accumulatedFailures: {
    /** Raise when failures outstanding (retryable + abandoned) exceed this count. Default 20 (seed: "failure_count > 20"). */
    above: number;
    /** Clear once at `above - clearMargin` or fewer. Count, default 2. */
    clearMargin: number;
  };
  stuckPending: {
    /** Raise when the oldest pending item is older than this, in ms. Default 3 600 000 (1 h). */
    olderThanMs: number;
    /** Clear once the oldest pending item is at most `olderThanMs - clearMarginMs` old (or nothing is pending), in ms. Default 0. */
    clearMarginMs: number;
  };
  errorRate: {
    /** Raise when failed attempts / (failed attempts + successes) in the window exceed this ratio. Default 0.10. */
    above: number;
    /** Clear once at `above - clearMargin` or less. Default 0.02. */
    clearMargin: number;
    /** The window: the current minute and the ones before it, in minutes. Default 5. */
    windowMinutes: number;
    /** No verdict with fewer attempts than this in the window (none at all counts as a 0% rate). Count, default 10. */
    minAttempts: number;
  };
  /** A raised alert stays raised at least this long before it may clear, in ms. Default 60 000. */
  minActiveMs: number;
  /** Rules evaluated; default all. */
  enabled: readonly AlertRule[];
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  successRate: { below: 0.85, clearMargin: 0.02, minFinished: 20 },
  accumulatedFailures: { above: 20, clearMargin: 2 },
  stuckPending: { olderThanMs: 3_600_000, clearMarginMs: 0 },
  errorRate: { above: 0.1, clearMargin: 0.02, windowMinutes: 5, minAttempts: 10 },
  minActiveMs: 60_000,
  enabled: ALERT_RULES,
};

/** One reading of a rule's metric. */
export interface Measurement {
  /** null when there is nothing to measure yet. */
  value: number | null;
  /** false: too little data for a verdict; the alert keeps its state. */
  sufficient: boolean;
  /** Human-readable facts behind the value, for the alert message. */
  detail: string;
}

export interface RuleDefinition {
  rule: AlertRule;
  severity: AlertSeverity;
  unit: AlertUnit;
  /** `below`: breaches under the threshold (a rate that should stay high); `above`: over it. */
  direction: 'above' | 'below';
  /** The raise threshold. */
  threshold(t: AlertThresholds): number;
  /** The clear threshold: the raise threshold moved back by the margin. */
  clearThreshold(t: AlertThresholds): number;
  measure(m: AlertMetrics, t: AlertThresholds): Measurement;
}

export const RULE_DEFINITIONS: Readonly<Record<AlertRule, RuleDefinition>> = {
  LOW_SUCCESS_RATE: {
    rule: 'LOW_SUCCESS_RATE',
    severity: 'critical',
    unit: 'ratio',
    direction: 'below',
    threshold: (t) => t.successRate.below,
    clearThreshold: (t) => t.successRate.below + t.successRate.clearMargin,
    measure: (m, t) => {
      const finished = m.succeeded + m.abandoned;
      const value = finished > 0 ? m.succeeded / finished : null;
      return {
        value,
        sufficient: finished >= t.successRate.minFinished && value !== null,
        detail: `${m.succeeded} of ${finished} finished items succeeded`,
      };
    },
  },
  ACCUMULATED_FAILURES: {
    rule: 'ACCUMULATED_FAILURES',
    severity: 'warning',
    unit: 'count',
    direction: 'above',
    threshold: (t) => t.accumulatedFailures.above,
    clearThreshold: (t) => t.accumulatedFailures.above - t.accumulatedFailures.clearMargin,
    measure: (m) => ({
      value: m.retryable + m.abandoned,
      sufficient: true,
      detail: `${m.retryable} waiting for a retry, ${m.abandoned} abandoned`,
    }),
  },
  STUCK_PENDING: {
    rule: 'STUCK_PENDING',
    severity: 'warning',
    unit: 'ms',
    direction: 'above',
    threshold: (t) => t.stuckPending.olderThanMs,
    clearThreshold: (t) => t.stuckPending.olderThanMs - t.stuckPending.clearMarginMs,
    measure: (m) => {
      if (m.oldestPendingCreatedAtMs === null) return { value: 0, sufficient: true, detail: 'nothing is pending' };
      return {
        value: Math.max(0, m.nowMs - m.oldestPendingCreatedAtMs),
        sufficient: true,
        detail: `the oldest pending item was submitted at ${new Date(m.oldestPendingCreatedAtMs).toISOString()}`,
      };
    },
  },
  HIGH_ERROR_RATE: {
    rule: 'HIGH_ERROR_RATE',
    severity: 'warning',
    unit: 'ratio',
    direction: 'above',
    threshold: (t) => t.errorRate.above,
    clearThreshold: (t) => t.errorRate.above - t.errorRate.clearMargin,
    measure: (m, t) => {
      const attempts = m.windowFailedAttempts + m.windowSucceeded;
      const detail = `${m.windowFailedAttempts} of ${attempts} attempts failed in the last ${t.errorRate.windowMinutes} min`;
      if (attempts === 0) return { value: 0, sufficient: true, detail };
      return { value: m.windowFailedAttempts / attempts, sufficient: attempts >= t.errorRate.minAttempts, detail };
    },
  },
};

/** A value in the rule's unit, for messages: `80.0%`, `25`, `1.5 h`. */
export function formatValue(unit: AlertUnit, value: number | null): string {
  if (value === null) return 'n/a';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'count') return String(value);
  if (value >= 3_600_000) return `${(value / 3_600_000).toFixed(1)} h`;
  if (value >= 60_000) return `${(value / 60_000).toFixed(1)} min`;
  return `${(value / 1000).toFixed(1)} s`;
}
