import { DeadLetterMatcher, describeFilter, NO_FILTER, type DeadLetterFilter } from './dead-letter-filter';
import { deadLetter } from '../testing/dead-letter-fixtures';

const verdict = (filter: DeadLetterFilter, value: ReturnType<typeof deadLetter>['value']) => new DeadLetterMatcher(filter).verdict(value);

describe('DeadLetterMatcher', () => {
  const apiError = deadLetter('PF-0001-d', { offset: 1 }, { type: 'API_ERROR', reason: 'MAX_ATTEMPTS', abandonedAt: '2025-03-14T09:10:00Z' }).value;
  const validation = deadLetter('PF-0002-d', { offset: 2 }, { type: 'VALIDATION', reason: 'NOT_RETRYABLE', attempts: 1 }).value;

  it('matches everything without criteria', () => {
    expect(verdict(NO_FILTER, apiError)).toBe('match');
    expect(verdict(NO_FILTER, validation)).toBe('match');
  });

  it('filters on the last failure type (any of several)', () => {
    expect(verdict({ types: ['TIMEOUT', 'API_ERROR'], reasons: [] }, apiError)).toBe('match');
    expect(verdict({ types: ['TIMEOUT', 'API_ERROR'], reasons: [] }, validation)).toBe('type');
  });

  it('filters on the reason', () => {
    expect(verdict({ types: [], reasons: ['MAX_ATTEMPTS'] }, validation)).toBe('reason');
    expect(verdict({ types: [], reasons: ['MAX_ATTEMPTS'] }, apiError)).toBe('match');
  });

  it('filters on abandonedAt with both ends included', () => {
    const at = Date.parse('2025-03-14T09:10:00Z');
    expect(verdict({ ...NO_FILTER, sinceMs: at, untilMs: at }, apiError)).toBe('match');
    expect(verdict({ ...NO_FILTER, sinceMs: at + 1 }, apiError)).toBe('time');
    expect(verdict({ ...NO_FILTER, untilMs: at - 1 }, apiError)).toBe('time');
  });

  it('filters on the batch and on item ids', () => {
    expect(verdict({ ...NO_FILTER, batchIds: ['nightly-1'] }, apiError)).toBe('match');
    expect(verdict({ ...NO_FILTER, batchIds: ['other'] }, apiError)).toBe('batch');
    expect(verdict({ ...NO_FILTER, itemIds: ['PF-0002-d', 'PF-0001-d'] }, apiError)).toBe('match');
    expect(verdict({ ...NO_FILTER, itemIds: ['PF-0002-d'] }, apiError)).toBe('item');
    const noBatch = { ...apiError, item: { ...apiError.item, batchId: undefined } };
    expect(verdict({ ...NO_FILTER, batchIds: ['nightly-1'] }, noBatch)).toBe('batch');
  });

  it('describes the criteria for summaries', () => {
    expect(describeFilter(NO_FILTER)).toBe('');
    expect(
      describeFilter({ types: ['API_ERROR', 'TIMEOUT'], reasons: ['MAX_ATTEMPTS'], sinceMs: Date.parse('2025-03-14T09:00:00Z') }),
    ).toBe('last failure API_ERROR or TIMEOUT, reason MAX_ATTEMPTS, abandoned since 2025-03-14T09:00:00.000Z');
    expect(describeFilter({ ...NO_FILTER, batchIds: ['b1'], itemIds: ['a', 'b', 'c', 'd', 'e'] })).toBe('batch b1, items a, b, c and 2 more');
  });
});
