import { OperationsApi } from '@workpipe/contracts';
import { useApi } from '../api/api-context';
import { usePolled } from '../api/use-polled';
import { formatCount, formatRate, formatTime } from '../components/format';
import { Notice } from '../components/notice';
import { hrefOf } from '../routing/use-hash-route';
import { ReplayForm } from './replay-form';

/** Replays, newest first, and the form for a new one. */
export function ReplaysPage({ query }: { query: URLSearchParams }) {
  const api = useApi();
  const replays = usePolled(() => api.get('/v1/replays?limit=50', OperationsApi.ReplayListSchema), 3_000, [api]);
  return (
    <>
      <h1>Replays</h1>
      <ReplayForm key={query.get('batchId') ?? ''} batchId={query.get('batchId') ?? undefined} />
      <Notice error={replays.error} />
      {replays.data ? (
        <table class="list">
          <caption>{replays.data.total === 0 ? 'No replay yet' : `${formatCount(replays.data.total)} replay${replays.data.total === 1 ? '' : 's'}, newest first`}</caption>
          <thead>
            <tr>
              <th scope="col">Replay</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Selection</th>
              <th scope="col" class="num">Progress</th>
              <th scope="col" class="num">Republished</th>
              <th scope="col" class="num">Recovered</th>
              <th scope="col" class="num">Failed again</th>
              <th scope="col" class="num">Pending</th>
            </tr>
          </thead>
          <tbody>
            {replays.data.replays.map((replay) => (
              <tr key={replay.replayId}>
                <th scope="row">
                  <a href={hrefOf(['replays', replay.replayId])}>{replay.replayId}</a>
                </th>
                <td>{replay.phase ? `${replay.state} (${replay.phase})` : replay.state}</td>
                <td>{formatTime(replay.createdAt)}</td>
                <td class="message">{replay.selectionText}</td>
                <td class="num">{formatRate(replay.progress.fraction)}</td>
                <td class="num">{formatCount(replay.outcome.published)}</td>
                <td class="num">{formatCount(replay.outcome.recovered)}</td>
                <td class="num">{formatCount(replay.outcome.failedAgain)}</td>
                <td class="num">{formatCount(replay.outcome.pending)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : replays.loading ? (
        <p>Loading…</p>
      ) : null}
    </>
  );
}
