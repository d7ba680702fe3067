import { DEFAULT_ALERT_THRESHOLDS, type AlertMetrics, type AlertThresholds } from './alert-rules';
import { evaluateAlerts, evaluateRule, INITIAL_ALERT_STATE, type AlertState } from './evaluate-alerts';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');

function metrics(overrides: Partial<AlertMetrics> = {}): AlertMetrics {
  return {
    nowMs: NOW,
    succeeded: 0,
    abandoned: 0,
    retryable: 0,
    oldestPendingCreatedAtMs: null,
    windowFailedAttempts: 0,
    windowSucceeded: 0,
    ...overrides,
  };
}

const T: AlertThresholds = DEFAULT_ALERT_THRESHOLDS;

describe('LOW_SUCCESS_RATE', () => {
  it('says nothing before enough items are finished', () => {
    const decision = evaluateRule('LOW_SUCCESS_RATE', metrics({ succeeded: 1, abandoned: 9 }), T);
    expect(decision.transition).toBeUndefined();
  });

  it('raises below 85%, holds inside the band, clears at 87% after the minimum duration', () => {
    const raised = evaluateRule('LOW_SUCCESS_RATE', metrics({ succeeded: 80, abandoned: 20 }), T);
    expect(raised.transition).toMatchObject({ status: 'RAISED', value: 0.8, threshold: 0.85, incidentId: `LOW_SUCCESS_RATE-${NOW}` });
    expect(raised.transition?.message).toBe('success rate 80.0% is below 85.0% (80 of 100 finished items succeeded)');

    const again = evaluateRule('LOW_SUCCESS_RATE', metrics({ succeeded: 80, abandoned: 20, nowMs: NOW + 5_000 }), T, raised.next);
    expect(again.transition).toBeUndefined();
    expect(again.next).toBe(raised.next);

    const inBand = evaluateRule('LOW_SUCCESS_RATE', metrics({ succeeded: 86, abandoned: 14, nowMs: NOW + 120_000 }), T, raised.next);
    expect(inBand.transition).toBeUndefined();

    const tooSoon = evaluateRule('LOW_SUCCESS_RATE', metrics({ succeeded: 90, abandoned: 10, nowMs: NOW + 30_000 }), T, raised.next);
    expect(tooSoon.transition).toBeUndefined();

    const cleared = evaluateRule('LOW_SUCCESS_RATE', metrics({ succeeded: 87, abandoned: 13, nowMs: NOW + 60_000 }), T, raised.next);
    expect(cleared.transition).toMatchObject({ status: 'CLEARED', incidentId: `LOW_SUCCESS_RATE-${NOW}`, raisedAtMs: NOW });
    expect(cleared.next.status).toBe('clear');
  });
});

describe('ACCUMULATED_FAILURES', () => {
  it('raises above 20 and clears at 18 or fewer', () => {
    const raised = evaluateRule('ACCUMULATED_FAILURES', metrics({ retryable: 15, abandoned: 6 }), T);
    expect(raised.transition).toMatchObject({ status: 'RAISED', value: 21 });
    const later = NOW + 120_000;
    expect(evaluateRule('ACCUMULATED_FAILURES', metrics({ retryable: 19, nowMs: later }), T, raised.next).transition).toBeUndefined();
    expect(evaluateRule('ACCUMULATED_FAILURES', metrics({ retryable: 18, nowMs: later }), T, raised.next).transition?.status).toBe('CLEARED');
    expect(evaluateRule('ACCUMULATED_FAILURES', metrics({ retryable: 20 }), T).transition).toBeUndefined();
  });
});

describe('STUCK_PENDING', () => {
  it('raises when the oldest pending item is older than 1 h and clears when nothing is that old', () => {
    const raised = evaluateRule('STUCK_PENDING', metrics({ oldestPendingCreatedAtMs: NOW - 3_600_001 }), T);
    expect(raised.transition?.status).toBe('RAISED');
    expect(raised.transition?.message).toContain('1.0 h');
    const cleared = evaluateRule('STUCK_PENDING', metrics({ oldestPendingCreatedAtMs: null, nowMs: NOW + 60_000 }), T, raised.next);
    expect(cleared.transition?.status).toBe('CLEARED');
    expect(evaluateRule('STUCK_PENDING', metrics({ oldestPendingCreatedAtMs: NOW - 3_600_000 }), T).transition).toBeUndefined();
  });
});

describe('HIGH_ERROR_RATE', () => {
  it('raises above 10% with enough attempts, holds with too few, clears at 8% or when idle', () => {
    const raised = evaluateRule('HIGH_ERROR_RATE', metrics({ windowFailedAttempts: 3, windowSucceeded: 17 }), T);
    expect(raised.transition).toMatchObject({ status: 'RAISED', value: 0.15 });
    expect(evaluateRule('HIGH_ERROR_RATE', metrics({ windowFailedAttempts: 5, windowSucceeded: 4 }), T).transition).toBeUndefined();

    const later = NOW + 120_000;
    const thin = evaluateRule('HIGH_ERROR_RATE', metrics({ windowFailedAttempts: 0, windowSucceeded: 3, nowMs: later }), T, raised.next);
    expect(thin.transition).toBeUndefined();
    const band = evaluateRule('HIGH_ERROR_RATE', metrics({ windowFailedAttempts: 9, windowSucceeded: 91, nowMs: later }), T, raised.next);
    expect(band.transition).toBeUndefined();
    const cleared = evaluateRule('HIGH_ERROR_RATE', metrics({ windowFailedAttempts: 8, windowSucceeded: 92, nowMs: later }), T, raised.next);
    expect(cleared.transition?.status).toBe('CLEARED');
    const idle = evaluateRule('HIGH_ERROR_RATE', metrics({ nowMs: later }), T, raised.next);
    expect(idle.transition?.status).toBe('CLEARED');
  });
});

describe('evaluateAlerts', () => {
  it('evaluates the enabled rules only, each from its own state', () => {
    const states: Partial<Record<string, AlertState>> = { ACCUMULATED_FAILURES: { status: 'raised', incidentId: 'x', raisedAtMs: 0, changedAtMs: 0 } };
    const decisions = evaluateAlerts(
      metrics({ retryable: 30, oldestPendingCreatedAtMs: NOW - 7_200_000 }),
      { ...T, enabled: ['ACCUMULATED_FAILURES', 'STUCK_PENDING'] },
      states,
    );
    expect(decisions.map((d) => [d.rule, d.transition?.status])).toEqual([
      ['ACCUMULATED_FAILURES', undefined],
      ['STUCK_PENDING', 'RAISED'],
    ]);
    expect(INITIAL_ALERT_STATE.status).toBe('clear');
  });
});
