import type { StatsView } from '@workpipe/stats-model';
import { formatDemoSummary } from './demo-summary';

const view = {
  items: { submitted: 104, pending: 0, succeeded: 100, abandoned: 4 },
  succeeded: { total: 100, firstAttempt: 58, afterRetries: 42, byReplay: 0, byAttempt: { '1': 58, '2': 30, '3': 12 } },
  failures: {
    attempts: 71,
    attemptsByType: { API_ERROR: 40, TIMEOUT: 12, AUTHENTICATION: 1 },
    items: 46,
    itemsByType: {},
    retryable: 0,
    outstanding: 4,
    oldestRetryableFailureAt: null,
  },
  abandoned: { total: 4, byReason: { MAX_ATTEMPTS: 4 }, byType: { API_ERROR: 3, AUTHENTICATION: 1 }, rateByType: {}, events: 4 },
} as unknown as StatsView;

describe('formatDemoSummary', () => {
  it('reports first-pass and final success, recoveries and abandonment by reason and type', () => {
    const text = formatDemoSummary({ batchId: 'demo-1', view, goal: 0.9, statsUrl: 'http://127.0.0.1:3003', elapsedMs: 61_000 });
    expect(text).toContain('First-pass success rate   55.8%  (58/104 on the first attempt)');
    expect(text).toContain('Final success rate        96.2%  (100/104)');
    expect(text).toContain('Recovered by retries         42  (91.3% of the 46 that failed at least once)');
    expect(text).toContain('by reason: MAX_ATTEMPTS 4; by last failure: API_ERROR 3, AUTHENTICATION 1');
    expect(text).toContain('Succeeded on attempt     #1: 58, #2: 30, #3: 12');
    expect(text).toContain('Goal reached: success rate 96.2% >= 90%');
    expect(text).toContain('curl -s http://127.0.0.1:3003/v1/batches/demo-1');
  });
});
