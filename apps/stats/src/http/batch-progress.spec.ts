import { buildStatsView } from '@workpipe/stats-model';
import { batchProgressOf } from './batch-progress';

const view = (counters: Record<string, number>) =>
  buildStatsView({
    counters,
    timeToSuccessMs: { count: 0, p50: null, p95: null, p99: null },
    retryWaitMs: { count: 0, p50: null, p95: null, p99: null },
    oldestPendingCreatedAtMs: null,
    oldestRetryableFailureAtMs: null,
    oldestFailureAtMs: null,
  });

describe('batchProgressOf', () => {
  it('is zeros and not known before the first event', () => {
    expect(batchProgressOf('b', undefined, 104, 0)).toMatchObject({ known: false, complete: false, items: { submitted: 0 }, expected: 104 });
  });

  it('is complete when nothing is pending', () => {
    expect(batchProgressOf('b', view({ submitted: 3, succeeded: 2, abandoned: 1 }), undefined, 0).complete).toBe(true);
    expect(batchProgressOf('b', view({ submitted: 3, succeeded: 2, pending: 1 }), undefined, 0).complete).toBe(false);
  });

  it('waits for the expected number of items', () => {
    expect(batchProgressOf('b', view({ submitted: 3, succeeded: 3 }), 104, 0).complete).toBe(false);
    expect(batchProgressOf('b', view({ submitted: 104, succeeded: 100, abandoned: 4 }), 104, 0)).toMatchObject({ complete: true, rates: { success: 100 / 104 } });
  });
});
