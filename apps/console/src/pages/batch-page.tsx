import { mayOperate, useCaller } from '../api/caller-context';
import { useBatchLive, type LiveMode } from '../api/use-batch-live';
import { AttemptChart } from '../components/attempt-chart';
import { CountTable } from '../components/count-table';
import { formatAge, formatCount, formatMs, formatRate, formatTime } from '../components/format';
import { MinuteChart } from '../components/minute-chart';
import { Notice } from '../components/notice';
import { ProgressBar } from '../components/progress-bar';
import { StatList } from '../components/stat-list';
import { hrefOf } from '../routing/use-hash-route';

const MODE_TEXT: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  complete: 'Complete',
  waiting: 'No event of this batch seen yet: waiting for it',
  polling: 'Live stream unavailable: refreshing every few seconds',
};

/**
 * One batch: progress while it runs (server-sent events, no reload), success by attempt number,
 * time to success, failures by type and reason, and its minutes.
 */
export function BatchPage({ batchId }: { batchId: string }) {
  const { view, progress, mode, error } = useBatchLive(batchId);
  const operator = mayOperate(useCaller());
  // While live, the stream's numbers are the freshest; the rest of the page follows within 500 ms.
  const items = mode === 'live' && progress ? progress.items : (view?.items ?? progress?.items);
  const rates = mode === 'live' && progress ? progress.rates : (view?.rates ?? progress?.rates);
  const timeToSuccess = view?.timeToSuccessMs;
  const retryable = mode === 'live' && progress ? progress.retryable : view?.failures.retryable;
  const failedAttempts = mode === 'live' && progress ? progress.failedAttempts : view?.failures.attempts;
  const retriesScheduled = mode === 'live' && progress ? progress.retriesScheduled : view?.retries.scheduled;
  return (
    <>
      <h1>
        Batch <span class="id">{batchId}</span> <span class={`badge ${mode}`}>{MODE_TEXT[mode]}</span>
      </h1>
      <Notice error={error} />
      {items ? (
        <>
          <ProgressBar label="Batch progress" done={items.succeeded + items.abandoned} total={items.submitted} />
          <StatList
            label="Items"
            stats={[
              { label: 'Submitted', value: formatCount(items.submitted) },
              { label: 'Pending', value: formatCount(items.pending), hint: view ? `oldest ${formatAge(view.oldestPendingAgeMs)}` : undefined },
              { label: 'Succeeded', value: formatCount(items.succeeded) },
              { label: 'Abandoned', value: formatCount(items.abandoned) },
              { label: 'Waiting for a retry', value: formatCount(retryable) },
              { label: 'Success rate', value: formatRate(rates?.success) },
              { label: 'First-pass success rate', value: formatRate(rates?.firstPassSuccess) },
              { label: 'Recovery rate', value: formatRate(rates?.recovery), hint: 'succeeded after a failure' },
              { label: 'Failed attempts', value: formatCount(failedAttempts) },
              { label: 'Retries scheduled', value: formatCount(retriesScheduled) },
            ]}
          />
          <section aria-label="Time to success">
            <h2>Time to success</h2>
            <StatList
              label="Time to success percentiles"
              stats={[
                { label: 'p50', value: formatMs(timeToSuccess?.p50) },
                { label: 'p95', value: formatMs(timeToSuccess?.p95) },
                { label: 'p99', value: formatMs(timeToSuccess?.p99) },
                { label: 'Successes measured', value: formatCount(timeToSuccess?.count) },
              ]}
            />
          </section>
        </>
      ) : mode !== 'waiting' ? (
        <p>Loading…</p>
      ) : null}
      {view ? (
        <>
          <div class="columns">
            <section aria-label="Success by attempt">
              <h2>Success by attempt</h2>
              <CountTable
                caption="Succeeded by attempt number"
                name="Attempt"
                columns={[{ header: 'Items', values: view.succeeded.byAttempt }]}
                order={Object.keys(view.succeeded.byAttempt).sort((a, b) => Number(a) - Number(b))}
                empty="No success yet"
              />
              <AttemptChart byAttempt={view.succeeded.byAttempt} label="Items succeeded per attempt number" />
            </section>
            <section aria-label="Failures">
              <h2>Failures</h2>
              <CountTable
                caption="Failures by type"
                name="Type"
                columns={[
                  { header: 'Failed attempts', values: view.failures.attemptsByType },
                  { header: 'Items failed', values: view.failures.itemsByType },
                  { header: 'Abandoned', values: view.abandoned.byType },
                ]}
                empty="No failure"
              />
              <CountTable caption="Abandoned by reason" name="Reason" columns={[{ header: 'Items', values: view.abandoned.byReason }]} empty="Nothing abandoned" />
              <p class="links">
                <a href={hrefOf(['failures'], { batchId })}>Failures of this batch</a>
                {view.items.abandoned > 0 && operator ? (
                  <>
                    {' · '}
                    <a href={hrefOf(['replays'], { batchId })}>Replay its dead letters</a>
                  </>
                ) : null}
              </p>
            </section>
          </div>
          <section aria-label="Per minute">
            <h2>Per minute</h2>
            <MinuteChart points={view.series} label={`Succeeded, failed attempts and abandoned per minute of batch ${batchId}`} />
          </section>
          <p class="as-of">As of {formatTime(mode === 'live' && progress ? progress.asOf : view.asOf)}</p>
        </>
      ) : null}
    </>
  );
}
