import { NO_FILTER } from './dead-letter-filter';
import { describeSelection, rangesCovering, selectionFilter, selectionRanges, storedSelection } from './replay-selection';
import { ReplaySelectionSchema } from './replay-record';
import { ABANDONED_TOPIC, deadLetter } from './testing/dead-letter-fixtures';

describe('stored selections', () => {
  it('round-trips ranges and filter through the stored (JSON) form', () => {
    const filter = { types: ['API_ERROR'], reasons: ['MAX_ATTEMPTS' as const], sinceMs: Date.parse('2025-03-14T09:00:00Z') };
    const ranges = [{ partition: 1, from: 3n, to: 9_007_199_254_740_993n }];
    const stored = storedSelection({ origin: 'replay', topic: ABANDONED_TOPIC, ranges, filter, asked: '--partition 1' });
    const parsed = ReplaySelectionSchema.parse(JSON.parse(JSON.stringify(stored)));
    expect(selectionRanges(parsed)).toEqual(ranges);
    expect(selectionFilter(parsed)).toEqual(filter);
    expect(describeSelection(parsed)).toBe(
      `${ABANDONED_TOPIC}, partition 1 offsets 3-9007199254740993, last failure API_ERROR, reason MAX_ATTEMPTS, abandoned since 2025-03-14T09:00:00.000Z`,
    );
  });

  it('covers chosen dead letters with one range per partition', () => {
    const chosen = [
      deadLetter('a', { partition: 1, offset: 7 }),
      deadLetter('b', { partition: 0, offset: 12 }),
      deadLetter('c', { partition: 1, offset: 3 }),
    ];
    expect(rangesCovering(chosen)).toEqual([
      { partition: 0, from: 12n, to: 12n },
      { partition: 1, from: 3n, to: 7n },
    ]);
    const stored = storedSelection({ origin: 'retry-failures', topic: ABANDONED_TOPIC, ranges: rangesCovering(chosen), filter: NO_FILTER, only: ['x', 'y', 'z'], asked: '' });
    expect(describeSelection(stored)).toBe(`${ABANDONED_TOPIC}, 3 dead letters chosen by retry-failures`);
  });
});
