import { DEFAULT_ALERT_THRESHOLDS, ALERT_RULES } from '../alerts/alert-rules';
import { evaluateRule } from '../alerts/evaluate-alerts';
import { AlertsAnswerSchema, buildAlertsAnswer } from './alerts-answer';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const metrics = { nowMs: NOW, succeeded: 80, abandoned: 20, retryable: 0, oldestPendingCreatedAtMs: null, windowFailedAttempts: 0, windowSucceeded: 0 };

describe('buildAlertsAnswer', () => {
  it('answers every rule: a raised one with since, value, thresholds and message, the others clear with nothing known', () => {
    const raised = evaluateRule('LOW_SUCCESS_RATE', metrics, DEFAULT_ALERT_THRESHOLDS);
    const answer = AlertsAnswerSchema.parse(
      buildAlertsAnswer({ LOW_SUCCESS_RATE: raised.next }, { ...DEFAULT_ALERT_THRESHOLDS, enabled: ['LOW_SUCCESS_RATE', 'STUCK_PENDING'] }, NOW + 5_000),
    );
    expect(answer.asOf).toBe('2026-11-20T12:00:05.000Z');
    expect(answer.alerts.map((alert) => alert.rule)).toEqual([...ALERT_RULES]);
    expect(answer.alerts[0]).toEqual({
      rule: 'LOW_SUCCESS_RATE',
      enabled: true,
      state: 'raised',
      since: '2026-11-20T12:00:00.000Z',
      incidentId: `LOW_SUCCESS_RATE-${NOW}`,
      severity: 'critical',
      unit: 'ratio',
      value: 0.8,
      threshold: 0.85,
      clearThreshold: 0.87,
      message: 'success rate 80.0% is below 85.0% (80 of 100 finished items succeeded)',
    });
    expect(answer.alerts[1]).toMatchObject({ rule: 'ACCUMULATED_FAILURES', enabled: false, state: 'clear', since: null, incidentId: null, value: null, threshold: 20, clearThreshold: 18, message: null });
    expect(answer.alerts[2]).toMatchObject({ rule: 'STUCK_PENDING', enabled: true, state: 'clear', unit: 'ms', threshold: 3_600_000 });
  });

  it('keeps the value and message of a clear, and no incident', () => {
    const raised = evaluateRule('LOW_SUCCESS_RATE', metrics, DEFAULT_ALERT_THRESHOLDS);
    const cleared = evaluateRule('LOW_SUCCESS_RATE', { ...metrics, succeeded: 90, abandoned: 10, nowMs: NOW + 60_000 }, DEFAULT_ALERT_THRESHOLDS, raised.next);
    const [alert] = buildAlertsAnswer({ LOW_SUCCESS_RATE: cleared.next }, DEFAULT_ALERT_THRESHOLDS, NOW + 61_000).alerts;
    expect(alert).toMatchObject({ state: 'clear', since: '2026-11-20T12:01:00.000Z', incidentId: null, value: 0.9 });
    expect(alert?.message).toMatch(/^success rate back to 90\.0%/);
  });

  it('answers a state stored before values were kept with the value unknown', () => {
    const [alert] = buildAlertsAnswer({ LOW_SUCCESS_RATE: { status: 'raised', incidentId: 'x', raisedAtMs: NOW, changedAtMs: NOW } }, DEFAULT_ALERT_THRESHOLDS, NOW).alerts;
    expect(alert).toMatchObject({ state: 'raised', incidentId: 'x', value: null, message: null });
  });
});
