import { FAILURE_FIELDS, failureRecordOf } from './failure-record';

function fields(values: Partial<Record<(typeof FAILURE_FIELDS)[number], string>>): (string | null)[] {
  return FAILURE_FIELDS.map((name) => values[name] ?? null);
}

const T = Date.parse('2026-11-20T10:00:00.000Z');

describe('failureRecordOf', () => {
  const base = { id: 'i1', k: 'p1', b: 'b1', wt: 'portfolio-report', ca: String(T), ep: '1', sc: '0' };

  it('shows a failed, pending item as retryable with its last failure', () => {
    const record = failureRecordOf(
      fields({ ...base, ab: '0', fc: '2', hist: '1', ffa: String(T + 1000), lfa: String(T + 5000), lft: 'TIMEOUT', lfm: 'slow' }),
    );
    expect(record).toEqual({
      itemId: 'i1',
      key: 'p1',
      batchId: 'b1',
      workType: 'portfolio-report',
      status: 'retryable',
      lastFailureType: 'TIMEOUT',
      lastFailureMessage: 'slow',
      attempts: 2,
      createdAt: new Date(T).toISOString(),
      firstFailureAt: new Date(T + 1000).toISOString(),
      lastFailureAt: new Date(T + 5000).toISOString(),
      abandonReason: null,
      abandonDetail: null,
      abandonedAt: null,
    });
  });

  it('shows an abandoned item by the abandonment', () => {
    const record = failureRecordOf(
      fields({ ...base, b: '', ab: '1', fc: '3', hist: '3', lft: 'API_ERROR', ar: 'MAX_ATTEMPTS', at: 'EMPTY_REPORT', am: 'max', aa: String(T + 9000) }),
    );
    expect(record).toMatchObject({ status: 'abandoned', batchId: null, lastFailureType: 'EMPTY_REPORT', abandonReason: 'MAX_ATTEMPTS', attempts: 3 });
  });

  it('drops an item that is no longer a failure (succeeded, replayed and pending, or gone)', () => {
    expect(failureRecordOf(fields({ ...base, sc: '1', fc: '1' }))).toBeUndefined();
    expect(failureRecordOf(fields({ ...base, ab: '0', fc: '0', hist: '0' }))).toBeUndefined();
    expect(failureRecordOf(fields({}))).toBeUndefined();
    // abandoned then replayed: pending again, a retryable failure
    expect(failureRecordOf(fields({ ...base, ep: '2', ab: '1', fc: '1', lft: 'AUTHENTICATION', at: 'AUTHENTICATION' }))?.status).toBe('retryable');
  });
});
