import { selectDeadLetters } from './dead-letter-selection';
import { NO_FILTER } from './dead-letter-filter';
import { positionKey } from './dead-letter';
import { deadLetter } from './testing/dead-letter-fixtures';

const ids = (letters: { value: { item: { itemId: string } }; position: { partition: number; offset: string } }[]) =>
  letters.map((d) => `${d.position.partition}:${d.position.offset} ${d.value.item.itemId}`);

describe('selectDeadLetters', () => {
  it('keeps what matches, in partition and offset order, and counts the rest as skipped by filter', () => {
    const letters = [
      deadLetter('PF-0003-d', { partition: 1, offset: 10 }),
      deadLetter('PF-0001-d', { partition: 0, offset: 9 }),
      deadLetter('PF-0002-d', { partition: 0, offset: 2 }, { type: 'TIMEOUT' }),
      deadLetter('PF-0004-d', { partition: 0, offset: 11 }),
    ];
    const result = selectDeadLetters(letters, { types: ['API_ERROR'], reasons: [] });
    expect(ids(result.selected)).toEqual(['0:9 PF-0001-d', '0:11 PF-0004-d', '1:10 PF-0003-d']);
    expect(result.skippedByFilter).toBe(1);
    expect(result.superseded).toEqual([]);
  });

  it('replays an item with several dead letters in the range once, from its latest', () => {
    const first = deadLetter('PF-0001-d', { offset: 3 }, { abandonedAt: '2025-03-14T09:10:00Z' });
    const again = deadLetter('PF-0001-d', { offset: 8 }, { abandonedAt: '2025-03-14T10:10:00Z', replayId: 'rp-1' });
    const result = selectDeadLetters([again, first], NO_FILTER);
    expect(ids(result.selected)).toEqual(['0:8 PF-0001-d']);
    expect(ids(result.superseded)).toEqual(['0:3 PF-0001-d']);
  });

  it('keeps only the listed positions of a stored retry-failures selection', () => {
    const kept = deadLetter('PF-0001-d', { offset: 3 });
    const other = deadLetter('PF-0002-d', { offset: 4 });
    const result = selectDeadLetters([kept, other], NO_FILTER, new Set([positionKey(kept.position)]));
    expect(ids(result.selected)).toEqual(['0:3 PF-0001-d']);
    expect(result.skippedByFilter).toBe(1);
  });

  it('orders offsets numerically, not as text', () => {
    const result = selectDeadLetters([deadLetter('PF-0001-a', { offset: 10 }), deadLetter('PF-0001-b', { offset: 9 })], NO_FILTER);
    expect(result.selected.map((d) => d.position.offset)).toEqual(['9', '10']);
  });
});
