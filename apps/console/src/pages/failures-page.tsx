import { BUILT_IN_FAILURE_TYPES } from '@workpipe/contracts';
import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import type { FailureList, StatsAnswer } from '../api/api-types';
import { saveFile } from '../api/save-file';
import { usePolled } from '../api/use-polled';
import { formatCount, formatTime } from '../components/format';
import { Notice } from '../components/notice';
import { Pager } from '../components/pager';
import { hrefOf, navigate } from '../routing/use-hash-route';
import { FailureFilterForm, type FailureFilter } from './failure-filter-form';

const PAGE = 50;

const FIELDS = ['type', 'status', 'reason', 'batchId', 'olderThanMinutes'] as const;

function filterOf(query: URLSearchParams): FailureFilter {
  return Object.fromEntries(FIELDS.map((field) => [field, query.get(field) ?? ''])) as unknown as FailureFilter;
}

/** The filter as the API's query string; a reason selects abandoned items, so the status is left out with one. */
function apiQuery(filter: FailureFilter, extra: Record<string, string | number> = {}): string {
  const query = new URLSearchParams();
  if (filter.type) query.set('type', filter.type);
  if (filter.reason) query.set('reason', filter.reason);
  else if (filter.status) query.set('status', filter.status);
  if (filter.batchId.trim()) query.set('batchId', filter.batchId.trim());
  if (filter.olderThanMinutes.trim()) query.set('olderThanMinutes', filter.olderThanMinutes.trim());
  for (const [name, value] of Object.entries(extra)) query.set(name, String(value));
  return query.toString();
}

/** Items failed and waiting for a retry, or abandoned (the dead letters): filtered, paged, exported as CSV; each opens its history. */
export function FailuresPage({ query }: { query: URLSearchParams }) {
  const api = useApi();
  const applied = filterOf(query);
  const page = Number(query.get('page') ?? 0) || 0;
  const [exportError, setExportError] = useState<unknown>(undefined);
  const [itemId, setItemId] = useState('');
  const key = FIELDS.map((field) => applied[field]).join('\n');
  const overall = usePolled(() => api.get<StatsAnswer>('/v1/stats?minutes=1'), 0, [api]);
  const types = [...new Set([...BUILT_IN_FAILURE_TYPES, ...Object.keys(overall.data?.failures.itemsByType ?? {}), ...Object.keys(overall.data?.abandoned.byType ?? {})])].sort();

  const rows = usePolled(() => api.get<FailureList>(`/v1/failures?${apiQuery(applied, { limit: PAGE, offset: page * PAGE })}`), 10_000, [api, key, page]);

  const apply = (next: FailureFilter, nextPage = 0) => navigate(hrefOf(['failures'], { ...next, page: nextPage || undefined }));
  const exportCsv = async () => {
    setExportError(undefined);
    try {
      saveFile(await api.blob(`/v1/failures.csv?${apiQuery(applied)}`), 'failures.csv');
    } catch (error) {
      setExportError(error);
    }
  };

  return (
    <>
      <h1>Failures and dead letters</h1>
      <FailureFilterForm key={key} applied={applied} types={types} onApply={apply} onExport={() => void exportCsv()} />
      <Notice error={rows.error ?? exportError} />
      <form
        class="filters"
        aria-label="Open an item"
        onSubmit={(event) => {
          event.preventDefault();
          if (itemId.trim()) navigate(hrefOf(['items', itemId.trim()]));
        }}
      >
        <label>
          Item id <input name="itemId" value={itemId} onInput={(event) => setItemId(event.currentTarget.value)} />
        </label>
        <button type="submit">Open history</button>
      </form>
      {rows.data ? (
        <>
          <table class="list">
            <caption>
              {rows.data.total === 0
                ? 'No failure matches'
                : `${formatCount(page * PAGE + 1)}–${formatCount(Math.min(rows.data.total, (page + 1) * PAGE))} of ${formatCount(rows.data.total)} failure${rows.data.total === 1 ? '' : 's'}, oldest first failure first`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Batch</th>
                <th scope="col">Status</th>
                <th scope="col">Type</th>
                <th scope="col">Reason</th>
                <th scope="col" class="num">Attempts</th>
                <th scope="col">First failure</th>
                <th scope="col">Last failure</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.items.map((item) => (
                <tr key={item.itemId}>
                  <th scope="row">
                    <a href={hrefOf(['items', item.itemId])}>{item.itemId}</a>
                  </th>
                  <td>{item.batchId ? <a href={hrefOf(['batches', item.batchId])}>{item.batchId}</a> : '—'}</td>
                  <td>{item.status === 'abandoned' ? 'Abandoned' : 'Waiting for a retry'}</td>
                  <td>{item.lastFailureType}</td>
                  <td>{item.abandonReason ?? '—'}</td>
                  <td class="num">{formatCount(item.attempts)}</td>
                  <td>{formatTime(item.firstFailureAt)}</td>
                  <td>{formatTime(item.lastFailureAt)}</td>
                  <td class="message">{item.lastFailureMessage ?? item.abandonDetail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={Math.ceil(rows.data.total / PAGE)} onPage={(next) => apply(applied, next)} />
        </>
      ) : rows.loading ? (
        <p>Loading…</p>
      ) : null}
    </>
  );
}
