import { applyFilter, describeFilter, NO_FILTER } from './dead-letter-filter';
import { deadLetter } from './testing/dead-letter-fixtures';

describe('applyFilter', () => {
  const apiError = deadLetter('PF-0001-d', { offset: 1 }, { type: 'API_ERROR', reason: 'MAX_ATTEMPTS', abandonedAt: '2025-03-14T09:10:00Z' }).value;
  const validation = deadLetter('PF-0002-d', { offset: 2 }, { type: 'VALIDATION', reason: 'NOT_RETRYABLE', attempts: 1 }).value;

  it('matches everything without criteria', () => {
    expect(applyFilter(apiError, NO_FILTER)).toBe('match');
    expect(applyFilter(validation, NO_FILTER)).toBe('match');
  });

  it('filters on the last failure type (any of several)', () => {
    expect(applyFilter(apiError, { types: ['TIMEOUT', 'API_ERROR'], reasons: [] })).toBe('match');
    expect(applyFilter(validation, { types: ['TIMEOUT', 'API_ERROR'], reasons: [] })).toBe('type');
  });

  it('filters on the reason', () => {
    expect(applyFilter(validation, { types: [], reasons: ['MAX_ATTEMPTS'] })).toBe('reason');
    expect(applyFilter(apiError, { types: [], reasons: ['MAX_ATTEMPTS'] })).toBe('match');
  });

  it('filters on abandonedAt with both ends included', () => {
    const at = Date.parse('2025-03-14T09:10:00Z');
    expect(applyFilter(apiError, { ...NO_FILTER, sinceMs: at, untilMs: at })).toBe('match');
    expect(applyFilter(apiError, { ...NO_FILTER, sinceMs: at + 1 })).toBe('time');
    expect(applyFilter(apiError, { ...NO_FILTER, untilMs: at - 1 })).toBe('time');
  });

  it('describes the criteria for summaries', () => {
    expect(describeFilter(NO_FILTER)).toBe('');
    expect(
      describeFilter({ types: ['API_ERROR', 'TIMEOUT'], reasons: ['MAX_ATTEMPTS'], sinceMs: Date.parse('2025-03-14T09:00:00Z') }),
    ).toBe('last failure API_ERROR or TIMEOUT, reason MAX_ATTEMPTS, abandoned since 2025-03-14T09:00:00.000Z');
  });
});
