import { NO_FILTER } from './dead-letter-filter';
import { describeSelection, resolvedSelection, selectionFilter, selectionRanges } from './resolved-selection';

describe('resolved selections', () => {
  const selection = resolvedSelection({
    origin: 'replay',
    topic: 'wp.work.abandoned',
    ranges: [{ partition: 1, from: 3n, to: 4n }],
    filter: { ...NO_FILTER, types: ['API_ERROR'], sinceMs: Date.parse('2025-03-14T09:00:00Z'), batchIds: ['b1'] },
    asked: '--partition 1 --type API_ERROR',
  });

  it('stores ranges as decimal strings and the filter as ISO times, and reads them back', () => {
    expect(selection.ranges).toEqual([{ partition: 1, from: '3', to: '4' }]);
    expect(selection.filter).toEqual({ types: ['API_ERROR'], reasons: [], since: '2025-03-14T09:00:00.000Z', batchIds: ['b1'] });
    expect(selectionRanges(selection)).toEqual([{ partition: 1, from: 3n, to: 4n }]);
    expect(selectionFilter(selection)).toEqual({ types: ['API_ERROR'], reasons: [], sinceMs: Date.parse('2025-03-14T09:00:00Z'), batchIds: ['b1'] });
  });

  it('describes a selection for summaries', () => {
    expect(describeSelection(selection)).toBe(
      'wp.work.abandoned, partition 1 offsets 3-4, last failure API_ERROR, abandoned since 2025-03-14T09:00:00.000Z, batch b1',
    );
    const retry = resolvedSelection({ origin: 'retry-failures', topic: 'wp.work.abandoned', ranges: [], filter: NO_FILTER, max: 10, asked: '' });
    expect(describeSelection(retry)).toBe('wp.work.abandoned, every item still worth retrying (at most 10)');
  });
});
