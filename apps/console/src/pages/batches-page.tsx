import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import type { StatsAnswer } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import { formatCount, formatRate } from '../components/format';
import { Notice } from '../components/notice';
import { Pager } from '../components/pager';
import { hrefOf } from '../routing/use-hash-route';

const PAGE = 20;

/** Batches known, newest first, with their numbers; filter by id. */
export function BatchesPage() {
  const api = useApi();
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const ids = usePolled(async () => (await api.get<{ batches: string[] }>('/v1/batches')).batches.reverse(), 10_000, [api]);
  const matching = (ids.data ?? []).filter((id) => id.toLowerCase().includes(filter.trim().toLowerCase()));
  const shown = matching.slice(page * PAGE, (page + 1) * PAGE);
  const numbers = usePolled(
    async () => Object.fromEntries(await Promise.all(shown.map(async (id) => [id, await api.get<StatsAnswer>(`/v1/batches/${encodeURIComponent(id)}`)] as const))),
    5_000,
    [api, shown.join('\n')],
  );
  return (
    <>
      <h1>Batches</h1>
      <Notice error={ids.error ?? numbers.error} />
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Batch id contains{' '}
          <input
            type="search"
            value={filter}
            onInput={(event) => {
              setFilter(event.currentTarget.value);
              setPage(0);
            }}
          />
        </label>
      </form>
      <table class="list">
        <caption>
          {formatCount(matching.length)} batch{matching.length === 1 ? '' : 'es'}
          {filter ? ` matching "${filter}"` : ''}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Batch</th>
            <th scope="col" class="num">Submitted</th>
            <th scope="col" class="num">Pending</th>
            <th scope="col" class="num">Succeeded</th>
            <th scope="col" class="num">Abandoned</th>
            <th scope="col" class="num">Success rate</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((id) => {
            const batch = numbers.data?.[id];
            return (
              <tr key={id}>
                <th scope="row">
                  <a href={hrefOf(['batches', id])}>{id}</a>
                </th>
                <td class="num">{formatCount(batch?.items.submitted)}</td>
                <td class="num">{formatCount(batch?.items.pending)}</td>
                <td class="num">{formatCount(batch?.items.succeeded)}</td>
                <td class="num">{formatCount(batch?.items.abandoned)}</td>
                <td class="num">{formatRate(batch?.rates.success)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Pager page={page} pages={Math.ceil(matching.length / PAGE)} onPage={setPage} />
    </>
  );
}
