import { failureIndexName, failureIndexNames } from './failure-index';

describe('failureIndexName', () => {
  it('names one sorted set per filter combination', () => {
    expect(failureIndexName({})).toBe('fail:all');
    expect(failureIndexName({ type: 'TIMEOUT' })).toBe('fail:all:TIMEOUT');
    expect(failureIndexName({ status: 'retryable', type: 'TIMEOUT' })).toBe('fail:retryable:TIMEOUT');
    expect(failureIndexName({ reason: 'MAX_ATTEMPTS' })).toBe('fail:abandoned:reason:MAX_ATTEMPTS');
    expect(failureIndexName({ status: 'abandoned', reason: 'MAX_ATTEMPTS', type: 'TIMEOUT' })).toBe('fail:abandoned:reason:MAX_ATTEMPTS:TIMEOUT');
  });

  it('puts an abandoned item in the sets of its reason, a retryable one in none', () => {
    expect(failureIndexNames('abandoned', 'TIMEOUT', 'MAX_ATTEMPTS')).toEqual([
      'fail:all',
      'fail:all:TIMEOUT',
      'fail:abandoned',
      'fail:abandoned:TIMEOUT',
      'fail:abandoned:reason:MAX_ATTEMPTS',
      'fail:abandoned:reason:MAX_ATTEMPTS:TIMEOUT',
    ]);
    expect(failureIndexNames('retryable', 'TIMEOUT', 'MAX_ATTEMPTS')).toEqual(['fail:all', 'fail:all:TIMEOUT', 'fail:retryable', 'fail:retryable:TIMEOUT']);
  });
});
