import { formatAge, formatFailureStats } from './failure-stats-report';

describe('failure-stats report', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');

  it('prints totals, oldest failure age and counts by type, largest first', () => {
    const text = formatFailureStats(
      {
        retryable: 8,
        abandoned: 4,
        oldestFailureAt: '2026-11-22T09:30:00Z',
        byType: { TIMEOUT: 3, API_ERROR: 5, EMPTY_REPORT: 2, PROCESSING_ERROR: 2, RATE_LIMIT: 0 },
      },
      now,
    );
    expect(text).toBe(
      [
        'FAILURE STATS:',
        '   Total outstanding:     12',
        '   Waiting for a retry:   8',
        '   Abandoned:             4',
        '   Oldest failure:        2.5 hours ago',
        '',
        'FAILURES BY TYPE:',
        '   API_ERROR: 5',
        '   TIMEOUT: 3',
        '   EMPTY_REPORT: 2',
        '   PROCESSING_ERROR: 2',
        '',
      ].join('\n'),
    );
  });

  it('reads short ages in minutes', () => {
    expect(formatAge('2026-11-22T11:45:00Z', now)).toBe('15 minutes');
  });
});
