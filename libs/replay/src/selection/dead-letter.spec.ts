import { comparePositions, isLaterDeadLetter, latestRank, positionKey } from './dead-letter';
import { deadLetter } from '../testing/dead-letter-fixtures';

describe('dead letter positions', () => {
  it('names a position and orders positions numerically', () => {
    expect(positionKey({ topic: 't', partition: 2, offset: '41' })).toBe('t:2:41');
    expect(comparePositions({ topic: 't', partition: 0, offset: '9' }, { topic: 't', partition: 0, offset: '10' })).toBeLessThan(0);
    expect(comparePositions({ topic: 't', partition: 1, offset: '0' }, { topic: 't', partition: 0, offset: '10' })).toBeGreaterThan(0);
  });

  it('ranks the latest dead letter of an item by abandonedAt, then by position, as fixed-width text', () => {
    expect(latestRank(5, 1, '10') > latestRank(5, 1, '9')).toBe(true);
    expect(latestRank(10, 0, '1') > latestRank(9, 2, '99999')).toBe(true);
    const early = deadLetter('a', { offset: 99 }, { abandonedAt: '2025-03-14T09:00:00Z' });
    const late = deadLetter('a', { offset: 3 }, { abandonedAt: '2025-03-14T10:00:00Z' });
    expect(isLaterDeadLetter(late, early)).toBe(true);
    expect(isLaterDeadLetter(early, late)).toBe(false);
    const sameTime = deadLetter('a', { offset: 100 }, { abandonedAt: '2025-03-14T09:00:00Z' });
    expect(isLaterDeadLetter(sameTime, early)).toBe(true);
  });
});
