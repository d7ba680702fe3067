import type { AttemptRecord, Failure, WorkAbandoned, WorkFailed, WorkItem } from '@workpipe/contracts';

export interface RepresentativeEvent {
  /** How the event is named in the figures. */
  label: string;
  eventType: 'WorkItem' | 'WorkFailed' | 'WorkAbandoned';
  value: WorkItem.Value | WorkFailed.Value | WorkAbandoned.Value;
}

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();

/** A failure as the processor's classifier writes it: an HTTP 503 with a downstream message. */
function failureAt(attempt: number): Failure {
  return attempt % 3 === 0
    ? { type: 'TIMEOUT', message: 'GET /portfolios/PF-0042/profitability-report timed out after 500 ms', retryable: true }
    : {
        type: 'API_ERROR',
        message: 'GET /portfolios/PF-0042/profitability-report answered 503 Service Unavailable: upstream pricing feed is down',
        code: 'HTTP_503',
        retryable: true,
      };
}

function history(attempts: number): AttemptRecord[] {
  return Array.from({ length: attempts }, (_, i) => ({
    attempt: i + 1,
    failure: failureAt(i + 1),
    failedAt: iso(60_000 * 2 ** i + 412),
    source: { topic: 'workpipe.work', partition: 3, offset: String(184_220 + 7_311 * i) },
    durationMs: 212.4 + 17 * i,
  }));
}

/** A portfolio report item, as the ingestor writes it, after `attempts` failed attempts. */
function item(attempts: number): WorkItem.Value {
  return {
    itemId: 'PF-0042-2026-11-20',
    key: 'PF-0042',
    type: 'portfolio-report',
    batchId: 'batch-2026-11-20-morning',
    payload: { portfolioId: 'PF-0042', date: '2026-11-20' },
    attempt: attempts + 1,
    createdAt: iso(0),
    correlationId: '3f6c2a1e-8d4b-4c1a-9a57-0e2b7d9f1c44',
    history: history(attempts),
  };
}

/**
 * The three events of the benchmark: a fresh WorkItem (small payload, no
 * history), a WorkFailed whose item already has 4 attempts in its history, and
 * a WorkAbandoned with 10 attempts.
 */
export function representativeEvents(): RepresentativeEvent[] {
  const failedItem = item(4);
  const abandonedItem = item(10);
  return [
    { label: 'WorkItem, no history', eventType: 'WorkItem', value: item(0) },
    {
      label: 'WorkFailed, 4 attempts',
      eventType: 'WorkFailed',
      value: {
        item: failedItem,
        failure: { ...failureAt(5), retryAfterMs: 30_000 },
        failedAt: iso(1_000_000),
        durationMs: 233.9,
        source: { topic: 'workpipe.work', partition: 3, offset: '215464' },
      },
    },
    {
      label: 'WorkAbandoned, 10 attempts',
      eventType: 'WorkAbandoned',
      value: {
        item: { ...abandonedItem, attempt: 10, history: abandonedItem.history },
        reason: 'MAX_ATTEMPTS',
        detail: 'API_ERROR allows 10 attempts; attempt 10 failed with it',
        lastFailure: failureAt(10),
        abandonedAt: iso(9_000_000),
      },
    },
  ];
}
