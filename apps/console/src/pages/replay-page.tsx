import { OperationsApi } from '@workpipe/contracts';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { mayOperate, useCaller } from '../api/caller-context';
import { usePolled } from '../api/use-polled';
import { formatCount, formatTime } from '../components/format';
import { Notice } from '../components/notice';
import { ProgressBar } from '../components/progress-bar';
import { StatList } from '../components/stat-list';
import { hrefOf } from '../routing/use-hash-route';
import { ReadOnlyNotice } from './read-only-notice';

const STATE_TEXT: Record<OperationsApi.ReplayState, string> = {
  running: 'Running',
  trial: 'Trial done: waiting for continue',
  complete: 'Complete',
  interrupted: 'Interrupted: continue resumes it',
  cancelled: 'Cancelled',
};

const requester = (who: OperationsApi.ReplayView['requestedBy']) => (who.kind === 'api-key' ? `key ${who.keyId}` : 'anonymous');

/** One replay as it goes: progress, what became of its items (recovered, failed again, pending); continue and cancel (for an operate key). */
export function ReplayPage({ replayId }: { replayId: string }) {
  const api = useApi();
  const [actionError, setActionError] = useState<unknown>(undefined);
  const operator = mayOperate(useCaller());
  const [busy, setBusy] = useState(false);
  const [rate, setRate] = useState('');
  const path = `/v1/replays/${encodeURIComponent(replayId)}`;
  const replay = usePolled(() => api.get(`${path}?list=20`, OperationsApi.ReplayViewSchema), 1_000, [api, replayId]);
  const r = replay.data;

  const act = async (action: 'continue' | 'cancel') => {
    setBusy(true);
    setActionError(undefined);
    try {
      const body = action === 'continue' && rate.trim() ? { ratePerSecond: Number(rate) } : {};
      await api.post(`${path}/${action}`, body);
      replay.refresh();
    } catch (error) {
      setActionError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>
        Replay <span class="id">{replayId}</span>
        {r ? <span class={`badge ${r.state}`}>{r.phase ? `${STATE_TEXT[r.state]} (${r.phase})` : STATE_TEXT[r.state]}</span> : null}
      </h1>
      <Notice error={replay.error} />
      {r ? (
        <>
          <p class="selection">
            {r.selectionText}
            {r.selection.asked ? <span class="hint"> — asked as “{r.selection.asked}”</span> : null}
          </p>
          <ProgressBar label="Replay progress" done={r.progress.done} total={r.progress.total} noun="dead letters settled" />
          <section aria-label="Outcome">
            <h2>What became of the items</h2>
            <StatList
              label="Outcome"
              stats={[
                { label: 'Republished', value: formatCount(r.outcome.published) },
                { label: 'Recovered', value: formatCount(r.outcome.recovered) },
                { label: 'Failed again', value: formatCount(r.outcome.failedAgain) },
                { label: 'Still pending', value: formatCount(r.outcome.pending) },
              ]}
            />
          </section>
          {!operator ? (
            <ReadOnlyNotice />
          ) : (
            <div class="actions">
              {r.state === 'trial' || r.state === 'interrupted' ? (
                <>
                  <label>
                    Items per second <input class="short" name="ratePerSecond" inputMode="decimal" value={rate} onInput={(event) => setRate(event.currentTarget.value)} />
                  </label>
                  <button type="button" disabled={busy} onClick={() => void act('continue')}>
                    Continue: replay the remaining {formatCount(r.lastRun.remaining)}
                  </button>
                </>
              ) : null}
              {r.state === 'running' || r.state === 'trial' || r.state === 'interrupted' ? (
                <button type="button" class="danger" disabled={busy} onClick={() => void act('cancel')}>
                  Cancel replay
                </button>
              ) : null}
            </div>
          )}
          <Notice error={actionError} />
          {r.lastRun.error ? <Notice kind="error">Run {r.lastRun.run} stopped: {r.lastRun.error}</Notice> : null}
          <StatList
            label="Counts"
            stats={[
              { label: 'Selected', value: formatCount(r.counts.selected) },
              { label: 'Republished (all runs)', value: formatCount(r.counts.republished) },
              { label: 'Already replayed', value: formatCount(r.counts.alreadyReplayed) },
              { label: 'Left for continue', value: formatCount(r.lastRun.remaining) },
              { label: 'Dead letters read', value: formatCount(r.counts.read) },
              { label: 'Not matching', value: formatCount(r.counts.skippedByFilter) },
              { label: 'Superseded', value: formatCount(r.counts.superseded) },
              { label: 'Undecodable', value: formatCount(r.counts.undecodable) },
              { label: 'Runs', value: formatCount(r.runs) },
              { label: 'Requested by', value: requester(r.requestedBy) },
              { label: 'Created', value: formatTime(r.createdAt) },
              { label: 'Updated', value: formatTime(r.updatedAt) },
            ]}
          />
          {r.outcome.failing.length ? (
            <table class="list">
              <caption>Failing again (first {formatCount(r.outcome.failing.length)})</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Type</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {r.outcome.failing.map((item) => (
                  <tr key={item.itemId}>
                    <th scope="row">
                      <a href={hrefOf(['items', item.itemId])}>{item.itemId}</a>
                    </th>
                    <td>{item.type}</td>
                    <td>{item.reason}</td>
                    <td class="message">{item.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {r.outcome.waiting.length ? (
            <p>
              Still pending: {r.outcome.waiting.map((itemId, index) => (
                <Fragment key={itemId}>
                  {index > 0 ? ', ' : ''}
                  <a href={hrefOf(['items', itemId])}>{itemId}</a>
                </Fragment>
              ))}
            </p>
          ) : null}
          <table class="list">
            <caption>Requests (as on the replays topic)</caption>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">By</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {r.requests.map((request) => (
                <tr key={request.requestId}>
                  <td>{formatTime(request.requestedAt)}</td>
                  <td>{request.action}</td>
                  <td>{request.outcome.status}</td>
                  <td>{requester(request.requestedBy)}</td>
                  <td class="message">{request.outcome.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : replay.loading ? (
        <p>Loading…</p>
      ) : null}
    </>
  );
}
