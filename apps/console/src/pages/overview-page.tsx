import { AlertsAnswerSchema } from '@workpipe/stats-model';
import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import type { StatsAnswer } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import { CountTable } from '../components/count-table';
import { formatAge, formatCount, formatRate, formatTime } from '../components/format';
import { MinuteChart } from '../components/minute-chart';
import { Notice } from '../components/notice';
import { StatList } from '../components/stat-list';
import { AlertList } from './alert-list';

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
  const alerts = usePolled(() => api.get('/v1/alerts', AlertsAnswerSchema), 10_000, [api]);
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
          <AlertList answer={alerts.data} error={alerts.error} />
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
