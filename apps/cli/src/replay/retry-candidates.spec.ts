import { positionKey } from './dead-letter';
import { chooseRetryCandidates, isWorthRetrying, latestPerItem, preselectRetryCandidates } from './retry-candidates';
import { deadLetter } from './testing/dead-letter-fixtures';

describe('latestPerItem', () => {
  it('keeps the latest dead letter of each item, oldest abandonment first', () => {
    const letters = [
      deadLetter('PF-0001-d', { offset: 1 }, { abandonedAt: '2025-03-14T09:00:00Z' }),
      deadLetter('PF-0002-d', { offset: 2 }, { abandonedAt: '2025-03-14T09:05:00Z' }),
      deadLetter('PF-0001-d', { offset: 7 }, { abandonedAt: '2025-03-14T11:00:00Z', replayId: 'rp-1' }),
      deadLetter('PF-0003-d', { offset: 3 }, { abandonedAt: '2025-03-14T09:01:00Z' }),
    ];
    expect(latestPerItem(letters).map((d) => `${d.value.item.itemId}@${d.position.offset}`)).toEqual([
      'PF-0003-d@3',
      'PF-0002-d@2',
      'PF-0001-d@7',
    ]);
  });

  it('breaks a tie on abandonedAt by the later offset', () => {
    const at = '2025-03-14T09:00:00Z';
    const latest = latestPerItem([deadLetter('PF-0001-d', { offset: 5 }, { abandonedAt: at }), deadLetter('PF-0001-d', { offset: 4 }, { abandonedAt: at })]);
    expect(latest.map((d) => d.position.offset)).toEqual(['5']);
  });
});

describe('isWorthRetrying', () => {
  it('leaves NOT_RETRYABLE and VALIDATION alone, retries the rest', () => {
    expect(isWorthRetrying(deadLetter('a', { offset: 1 }, { type: 'VALIDATION', reason: 'NOT_RETRYABLE' }))).toBe(false);
    expect(isWorthRetrying(deadLetter('a', { offset: 1 }, { type: 'PROCESSING_ERROR', reason: 'NOT_RETRYABLE' }))).toBe(false);
    expect(isWorthRetrying(deadLetter('a', { offset: 1 }, { type: 'VALIDATION', reason: 'MAX_ATTEMPTS' }))).toBe(false);
    expect(isWorthRetrying(deadLetter('a', { offset: 1 }, { type: 'API_ERROR', reason: 'MAX_ATTEMPTS' }))).toBe(true);
    expect(isWorthRetrying(deadLetter('a', { offset: 1 }, { type: 'CIRCUIT_OPEN', reason: 'CIRCUIT_OPEN' }))).toBe(true);
    expect(isWorthRetrying(deadLetter('a', { offset: 1 }, { type: 'AUTHENTICATION', reason: 'MAX_ATTEMPTS' }))).toBe(true);
  });
});

describe('retry-failures selection', () => {
  const old = deadLetter('PF-0001-d', { offset: 1 }, { abandonedAt: '2025-03-14T09:00:00Z' });
  const replayedAgain = deadLetter('PF-0001-d', { offset: 9 }, { abandonedAt: '2025-03-14T12:00:00Z', replayId: 'rp-1', type: 'TIMEOUT' });
  const validation = deadLetter('PF-0002-d', { offset: 2 }, { type: 'VALIDATION', reason: 'NOT_RETRYABLE', attempts: 1 });
  const timeout = deadLetter('PF-0003-d', { offset: 3 }, { type: 'TIMEOUT', abandonedAt: '2025-03-14T09:30:00Z' });
  const apiError = deadLetter('PF-0004-d', { offset: 4 }, { abandonedAt: '2025-03-14T09:20:00Z' });
  const succeededSince = deadLetter('PF-0005-d', { offset: 5 }, { abandonedAt: '2025-03-14T09:40:00Z' });
  const succeededBefore = deadLetter('PF-0006-d', { offset: 6 }, { abandonedAt: '2025-03-14T09:50:00Z' });
  const all = [old, replayedAgain, validation, timeout, apiError, succeededSince, succeededBefore];

  it('drops what a replay cannot fix and other types in the first pass', () => {
    const { candidates, drops } = preselectRetryCandidates(all, []);
    expect(candidates.map((d) => d.value.item.itemId)).toEqual(['PF-0004-d', 'PF-0003-d', 'PF-0005-d', 'PF-0006-d', 'PF-0001-d']);
    expect(drops).toEqual({ notWorthRetrying: 1, otherType: 0 });
    const timeouts = preselectRetryCandidates(all, ['TIMEOUT']);
    expect(timeouts.candidates.map((d) => d.value.item.itemId)).toEqual(['PF-0003-d', 'PF-0001-d']);
    expect(timeouts.drops).toEqual({ notWorthRetrying: 1, otherType: 3 });
  });

  it('drops dead letters replayed already and items that succeeded after they were abandoned, then applies --max', () => {
    const { candidates } = preselectRetryCandidates(all, []);
    const replayed = new Set([positionKey(apiError.position), positionKey(old.position)]);
    const successes = new Map([
      ['PF-0005-d', Date.parse('2025-03-14T10:00:00Z')],
      ['PF-0006-d', Date.parse('2025-03-14T09:49:59Z')],
    ]);
    const chosen = chooseRetryCandidates(candidates, replayed, successes, 2);
    expect(chosen.available.map((d) => d.value.item.itemId)).toEqual(['PF-0003-d', 'PF-0006-d', 'PF-0001-d']);
    expect(chosen.chosen.map((d) => d.value.item.itemId)).toEqual(['PF-0003-d', 'PF-0006-d']);
    expect(chosen.drops).toEqual({ alreadyReplayed: 1, succeededLater: 1 });
    expect(chooseRetryCandidates(candidates, replayed, successes).chosen).toHaveLength(3);
  });
});
