import { useState } from 'preact/hooks';
import { alertGaugesOf, ALERT_DESCRIPTIONS, type AlertGauge } from '../api/alert-gauges';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/api-context';
import type { StatsAnswer } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import { CountTable } from '../components/count-table';
import { formatAge, formatCount, formatRate, formatTime } from '../components/format';
import { MinuteChart } from '../components/minute-chart';
import { Notice } from '../components/notice';
import { StatList } from '../components/stat-list';

const WINDOWS = [
  { minutes: 60, label: 'Last hour' },
  { minutes: 360, label: 'Last 6 hours' },
  { minutes: 1440, label: 'Last 24 hours' },
];

/** Overall numbers, every batch included; refreshed every 5 s. */
export function OverviewPage() {
  const api = useApi();
  const [minutes, setMinutes] = useState(60);
  const stats = usePolled(() => api.get<StatsAnswer>(`/v1/stats?minutes=${minutes}`), 5_000, [api, minutes]);
  const alerts = usePolled(async () => alertGaugesOf(await api.text('/metrics')), 10_000, [api]);
  const s = stats.data;
  return (
    <>
      <h1>Overview</h1>
      <Notice error={stats.error} />
      {s ? (
        <>
          <StatList
            label="Overall"
            stats={[
              { label: 'Success rate', value: formatRate(s.rates.success), hint: 'succeeded / finished' },
              { label: 'First-pass success rate', value: formatRate(s.rates.firstPassSuccess), hint: 'succeeded without a failure' },
              { label: 'Pending', value: formatCount(s.items.pending), hint: `oldest ${formatAge(s.oldestPendingAgeMs)}` },
              { label: 'Submitted', value: formatCount(s.items.submitted) },
              { label: 'Succeeded', value: formatCount(s.items.succeeded) },
              { label: 'Abandoned', value: formatCount(s.items.abandoned) },
              { label: 'Waiting for a retry', value: formatCount(s.failures.retryable), hint: `oldest failure ${formatAge(s.oldestRetryableFailureAgeMs)}` },
              { label: 'Recovered by replay', value: formatCount(s.succeeded.byReplay) },
            ]}
          />
          <AlertList gauges={alerts.data} error={alerts.error} />
          <section aria-label="Per minute">
            <h2>Per minute</h2>
            <label class="inline" for="overview-window">
              Window
            </label>
            <select id="overview-window" value={minutes} onChange={(event) => setMinutes(Number(event.currentTarget.value))}>
                {WINDOWS.map((window) => (
                  <option key={window.minutes} value={window.minutes}>
                    {window.label}
                  </option>
                ))}
            </select>
            <MinuteChart points={s.series} label="Succeeded, failed attempts and abandoned per minute" />
          </section>
          <div class="columns">
            <CountTable caption="Abandoned by type" name="Type" columns={[{ header: 'Items', values: s.abandoned.byType }]} empty="Nothing abandoned" />
            <CountTable caption="Abandoned by reason" name="Reason" columns={[{ header: 'Items', values: s.abandoned.byReason }]} empty="Nothing abandoned" />
            <CountTable
              caption="Failures by type"
              name="Type"
              columns={[
                { header: 'Standing', values: s.failures.outstandingByType },
                { header: 'Failed attempts', values: s.failures.attemptsByType },
              ]}
              empty="No failure"
            />
          </div>
          <p class="as-of">As of {formatTime(s.asOf)}</p>
        </>
      ) : stats.loading ? (
        <p>Loading…</p>
      ) : null}
    </>
  );
}

function AlertList({ gauges, error }: { gauges: AlertGauge[] | undefined; error: unknown }) {
  const raised = gauges?.filter((gauge) => gauge.raised) ?? [];
  return (
    <section aria-label="Active alerts" class="alerts">
      <h2>Active alerts</h2>
      {error !== undefined ? (
        <Notice error={error instanceof ApiError && error.forbidden ? new ApiError(403, error.code, 'reading /metrics needs the read role') : error} />
      ) : !gauges ? (
        <p>Loading…</p>
      ) : gauges.length === 0 ? (
        <p>No alert rule evaluated yet.</p>
      ) : raised.length === 0 ? (
        <p class="ok">No alert raised ({gauges.map((gauge) => gauge.rule).join(', ')} clear).</p>
      ) : (
        <ul>
          {raised.map((gauge) => (
            <li key={gauge.rule} class="raised">
              <strong>{gauge.rule}</strong>: {ALERT_DESCRIPTIONS[gauge.rule] ?? 'raised'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
