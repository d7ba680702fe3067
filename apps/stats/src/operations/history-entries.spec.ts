import { deadLetter } from '../../../../libs/replay/src/testing/dead-letter-fixtures';
import type { WorkSucceeded } from '@workpipe/contracts';
import { abandonedEntry, failedEntry, outcomeEventOf, replayEntry, succeededEntry } from './history-entries';

describe('item history entries', () => {
  const { value, position } = deadLetter('PF-1-d', { partition: 1, offset: 7 }, { replayId: 'rp-1' });

  it('keeps where a dead letter is, its reason and the replay whose life ended there', () => {
    const entry = abandonedEntry(value, position);
    expect(entry).toMatchObject({ itemId: 'PF-1-d', atMs: Date.parse(value.abandonedAt) });
    expect(entry.entry).toMatchObject({ k: 'd', pos: position, r: 'rp-1', why: 'MAX_ATTEMPTS', ft: 'API_ERROR' });
  });

  it('keeps each failed attempt with its failure, cutting long messages', () => {
    const failure = { type: 'API_ERROR', message: 'x'.repeat(900), retryable: true };
    const entry = failedEntry({ item: value.item, failure, failedAt: '2025-03-14T09:00:00.000Z', durationMs: 5, source: position });
    expect(entry.entry).toMatchObject({ k: 'a', n: value.item.attempt, f: { t: 'API_ERROR', re: true }, s: position, d: 5 });
    expect(entry.entry.k === 'a' && entry.entry.f.m.length).toBe(500);
  });

  it('keeps a success only after a failure or a replay', () => {
    const success = { itemId: 'a', history: [], completedAt: '2025-03-14T09:00:00.000Z', attempt: 1 } as unknown as WorkSucceeded.Value;
    expect(succeededEntry(success)).toBeUndefined();
    expect(succeededEntry({ ...success, replayId: 'rp-1' })?.entry).toEqual({ k: 's', n: 1, r: 'rp-1', at: '2025-03-14T09:00:00.000Z' });
  });

  it('turns successes and abandonments carrying a replay id into outcomes of that replay', () => {
    expect(outcomeEventOf({ kind: 'abandoned', value })).toMatchObject({ replayId: 'rp-1', itemId: 'PF-1-d', kind: 'abandoned', failure: { type: 'API_ERROR', reason: 'MAX_ATTEMPTS' } });
    expect(outcomeEventOf({ kind: 'abandoned', value: { ...value, item: { ...value.item, replay: undefined } } })).toBeUndefined();
    const success = { itemId: 'a', replayId: 'rp-2' } as WorkSucceeded.Value;
    expect(outcomeEventOf({ kind: 'succeeded', value: success })).toEqual({ replayId: 'rp-2', itemId: 'a', kind: 'succeeded' });
  });

  it('records a replay with the dead letter it came from', () => {
    const entry = replayEntry({ replayId: 'rp-1', itemId: 'a', replayedAt: '2025-03-14T09:00:00.000Z', source: position });
    expect(entry.entry).toEqual({ k: 'r', r: 'rp-1', at: '2025-03-14T09:00:00.000Z', s: position });
  });
});
