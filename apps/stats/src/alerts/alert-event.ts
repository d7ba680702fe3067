import type { Alert } from '@workpipe/contracts';
import type { AlertTransition } from '@workpipe/stats-model';

/** The Alert event of a raise or a clear. */
export function alertEventOf(transition: AlertTransition): Alert.Value {
  const event: Alert.Value = {
    alertId: `${transition.incidentId}:${transition.status}`,
    incidentId: transition.incidentId,
    rule: transition.rule,
    status: transition.status,
    severity: transition.severity,
    scope: { kind: 'overall' },
    value: transition.value,
    threshold: transition.threshold,
    clearThreshold: transition.clearThreshold,
    unit: transition.unit,
    message: transition.message.slice(0, 2000),
    raisedAt: new Date(transition.raisedAtMs).toISOString(),
    occurredAt: new Date(transition.atMs).toISOString(),
  };
  if (transition.status === 'CLEARED') event.clearedAt = new Date(transition.atMs).toISOString();
  return event;
}
