import { OperationsApi } from '@workpipe/contracts';
import { useApi } from '../api/api-context';
import { usePolled } from '../api/use-polled';
import { formatCount, formatMs, formatTime, NONE } from '../components/format';
import { Notice } from '../components/notice';
import { StatList } from '../components/stat-list';
import { hrefOf } from '../routing/use-hash-route';

const STATUS_TEXT: Record<OperationsApi.ItemStatus['status'], string> = {
  pending: 'Pending',
  succeeded: 'Succeeded',
  abandoned: 'Abandoned',
  unknown: 'Unknown (its submission not seen yet)',
};

const position = (source: { topic: string; partition: number; offset: string } | undefined) =>
  source ? `${source.topic} [${source.partition}] @ ${source.offset}` : NONE;

/** One item's whole history (`GET /v1/items/:id`): its state, every failed attempt, its dead letters and its replays. */
export function ItemPage({ itemId }: { itemId: string }) {
  const api = useApi();
  const item = usePolled(() => api.get(`/v1/items/${encodeURIComponent(itemId)}`, OperationsApi.ItemStatusSchema), 5_000, [api, itemId]);
  const s = item.data;
  return (
    <>
      <h1>
        Item <span class="id">{itemId}</span>
        {s ? <span class={`badge ${s.status}`}>{STATUS_TEXT[s.status]}</span> : null}
      </h1>
      <Notice error={item.error} />
      {s ? (
        <>
          <StatList
            label="Item"
            stats={[
              { label: 'Status', value: STATUS_TEXT[s.status] },
              { label: 'Batch', value: s.batchId ? <a href={hrefOf(['batches', s.batchId])}>{s.batchId}</a> : NONE },
              { label: 'Key', value: s.key ?? NONE },
              { label: 'Work type', value: s.workType ?? NONE },
              { label: 'Created', value: formatTime(s.createdAt) },
              { label: 'Failed attempts', value: formatCount(s.failedAttempts) },
              { label: 'Last failure', value: s.lastFailure ? `${s.lastFailure.type} at ${formatTime(s.lastFailure.at)}` : NONE },
              {
                label: 'Succeeded',
                value: s.success ? `at ${formatTime(s.success.at)}, attempt ${s.success.attempt}${s.success.replayId ? `, replay ${s.success.replayId}` : ''}` : NONE,
              },
            ]}
          />
          <table class="list">
            <caption>Failed attempts ({formatCount(s.attempts.length)})</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Attempt</th>
                <th scope="col">Life</th>
                <th scope="col">Failed at</th>
                <th scope="col">Type</th>
                <th scope="col">Message</th>
                <th scope="col">Retryable</th>
                <th scope="col" class="num">Duration</th>
                <th scope="col">Read from</th>
              </tr>
            </thead>
            <tbody>
              {s.attempts.map((attempt, index) => (
                <tr key={index}>
                  <td class="num">{attempt.attempt}</td>
                  <td>{attempt.replayId ? <a href={hrefOf(['replays', attempt.replayId])}>replay {attempt.replayId}</a> : 'original'}</td>
                  <td>{formatTime(attempt.failedAt)}</td>
                  <td>{attempt.failure.type}</td>
                  <td class="message">
                    {attempt.failure.message}
                    {attempt.failure.code ? ` (${attempt.failure.code})` : ''}
                  </td>
                  <td>{attempt.failure.retryable === undefined ? NONE : attempt.failure.retryable ? 'yes' : 'no'}</td>
                  <td class="num">{formatMs(attempt.durationMs)}</td>
                  <td>{position(attempt.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="list">
            <caption>Dead letters ({formatCount(s.deadLetters.length)})</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Abandoned at</th>
                <th scope="col">Reason</th>
                <th scope="col">Last failure type</th>
                <th scope="col">Detail</th>
                <th scope="col">Replayed</th>
              </tr>
            </thead>
            <tbody>
              {s.deadLetters.map((letter) => (
                <tr key={position(letter.position)}>
                  <td>{position(letter.position)}</td>
                  <td>{formatTime(letter.abandonedAt)}</td>
                  <td>{letter.reason}</td>
                  <td>{letter.lastFailureType}</td>
                  <td class="message">{letter.detail}</td>
                  <td>{letter.replayed ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="list">
            <caption>Replays ({formatCount(s.replays.length)})</caption>
            <thead>
              <tr>
                <th scope="col">Replay</th>
                <th scope="col">Replayed at</th>
                <th scope="col">From dead letter</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {s.replays.map((replay) => (
                <tr key={replay.replayId}>
                  <td>
                    <a href={hrefOf(['replays', replay.replayId])}>{replay.replayId}</a>
                  </td>
                  <td>{formatTime(replay.replayedAt)}</td>
                  <td>{position(replay.source)}</td>
                  <td>{replay.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="as-of">As of {formatTime(s.asOf)}</p>
        </>
      ) : item.loading ? (
        <p>Loading…</p>
      ) : null}
    </>
  );
}
