import { isWorthRetrying, judgeCandidate, type LatestDeadLetter } from './retry-candidates';

const latest = (overrides: Partial<LatestDeadLetter> = {}): LatestDeadLetter => ({
  itemId: 'PF-1',
  partition: 0,
  offset: '4',
  abandonedAtMs: 1_000,
  reason: 'MAX_ATTEMPTS',
  lastFailureType: 'API_ERROR',
  ...overrides,
});

describe('retry-failures candidates', () => {
  it('leaves out what a replay cannot fix: NOT_RETRYABLE, or a VALIDATION failure', () => {
    expect(isWorthRetrying(latest())).toBe(true);
    expect(isWorthRetrying(latest({ reason: 'NOT_RETRYABLE', lastFailureType: 'AUTHENTICATION' }))).toBe(false);
    expect(isWorthRetrying(latest({ lastFailureType: 'VALIDATION' }))).toBe(false);
  });

  it('judges in order: worth retrying, asked type, already replayed, succeeded since', () => {
    expect(judgeCandidate(latest({ lastFailureType: 'VALIDATION' }), ['TIMEOUT'], true, 5_000)).toBe('notWorthRetrying');
    expect(judgeCandidate(latest(), ['TIMEOUT'], true, 5_000)).toBe('otherType');
    expect(judgeCandidate(latest(), [], true, 5_000)).toBe('alreadyReplayed');
    expect(judgeCandidate(latest(), ['API_ERROR'], false, 5_000)).toBe('succeededLater');
    expect(judgeCandidate(latest(), [], false, 999)).toBe('candidate');
    expect(judgeCandidate(latest(), [], false, undefined)).toBe('candidate');
  });
});
