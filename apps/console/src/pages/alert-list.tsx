import type { AlertsAnswer, RuleAlert } from '@workpipe/stats-model';
import { formatTime } from '../components/format';
import { Notice } from '../components/notice';

/** What each alert rule of the stats service watches (libs/stats-model/src/alerts/alert-rules.ts), said when a raise left no message. */
const ALERT_DESCRIPTIONS: Record<RuleAlert['rule'], string> = {
  LOW_SUCCESS_RATE: 'Success rate among finished items is below its threshold',
  ACCUMULATED_FAILURES: 'Failures still standing (retryable + abandoned) are above their threshold',
  STUCK_PENDING: 'The oldest pending item is older than its threshold',
  HIGH_ERROR_RATE: 'Failed attempts in the last minutes are above their share of attempts',
};

/** The raised alerts (`GET /v1/alerts`, the state every stats instance shares), each with what it said and since when. */
export function AlertList({ answer, error }: { answer: AlertsAnswer | undefined; error: unknown }) {
  const raised = answer?.alerts.filter((alert) => alert.state === 'raised') ?? [];
  const watched = answer?.alerts.filter((alert) => alert.enabled).map((alert) => alert.rule) ?? [];
  return (
    <section aria-label="Active alerts" class="alerts">
      <h2>Active alerts</h2>
      {error !== undefined ? (
        <Notice error={error} />
      ) : !answer ? (
        <p>Loading…</p>
      ) : raised.length === 0 ? (
        <p class="ok">{watched.length === 0 ? 'No alert rule is enabled.' : `No alert raised (${watched.join(', ')} clear).`}</p>
      ) : (
        <ul>
          {raised.map((alert) => (
            <li key={alert.rule} class="raised">
              <strong>{alert.rule}</strong> ({alert.severity}, since {formatTime(alert.since)}): {alert.message ?? ALERT_DESCRIPTIONS[alert.rule]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
