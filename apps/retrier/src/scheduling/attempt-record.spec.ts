import type { WorkFailed } from '@workpipe/contracts';
import { nextAttempt, withFailure } from './attempt-record';

const failed: WorkFailed.Value = {
  item: {
    itemId: 'i1',
    key: 'k1',
    type: 'portfolio-report',
    payload: {},
    attempt: 2,
    createdAt: '2026-11-22T00:00:00.000Z',
    correlationId: 'c1',
    history: [
      {
        attempt: 1,
        failure: { type: 'TIMEOUT', message: 't', retryable: true },
        failedAt: '2026-11-22T00:00:01.000Z',
      },
    ],
  },
  failure: { type: 'API_ERROR', message: 'HTTP 500', code: 'HTTP_500', retryable: true },
  failedAt: '2026-11-22T00:01:00.000Z',
  durationMs: 12,
  source: { topic: 'work', partition: 1, offset: '41' },
};

describe('attempt history', () => {
  it('appends the failed attempt, with where it was read from, keeping every earlier one', () => {
    const item = withFailure(failed);
    expect(item.history.map((record) => [record.attempt, record.failure.type])).toEqual([
      [1, 'TIMEOUT'],
      [2, 'API_ERROR'],
    ]);
    expect(item.history[1]).toMatchObject({ source: { topic: 'work', partition: 1, offset: '41' }, durationMs: 12 });
  });

  it('moves to the next attempt, or defers without spending one', () => {
    expect(nextAttempt(failed, { nextAttempt: 3, consumesAttempt: true })).toMatchObject({ attempt: 3 });
    expect(nextAttempt(failed, { nextAttempt: 3, consumesAttempt: true }).deferrals).toBeUndefined();
    const deferred = nextAttempt(failed, { nextAttempt: 2, consumesAttempt: false });
    expect(deferred).toMatchObject({ attempt: 2, deferrals: 1 });
  });
});
