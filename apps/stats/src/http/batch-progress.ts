import type { DurationSummary, StatsView } from '@workpipe/stats-model';

/** One live-progress event of a batch (`event: progress` / `event: complete`). */
export interface BatchProgress {
  batchId: string;
  /** false until some event of the batch has been seen. */
  known: boolean;
  items: StatsView['items'];
  /** Failed and waiting for a retry. */
  retryable: number;
  failedAttempts: number;
  retriesScheduled: number;
  rates: Pick<StatsView['rates'], 'success' | 'firstPassSuccess' | 'recovery' | 'completion'>;
  timeToSuccessMs: DurationSummary;
  /** Items the client said the batch has (`?expected=`), if it did. */
  expected: number | null;
  /** Every item known is finished (and at least `expected` are known). */
  complete: boolean;
  asOf: string;
}

export function batchProgressOf(batchId: string, view: StatsView | undefined, expected: number | undefined, nowMs: number): BatchProgress {
  const items = view?.items ?? { submitted: 0, pending: 0, succeeded: 0, abandoned: 0 };
  return {
    batchId,
    known: view !== undefined,
    items,
    retryable: view?.failures.retryable ?? 0,
    failedAttempts: view?.failures.attempts ?? 0,
    retriesScheduled: view?.retries.scheduled ?? 0,
    rates: {
      success: view?.rates.success ?? null,
      firstPassSuccess: view?.rates.firstPassSuccess ?? null,
      recovery: view?.rates.recovery ?? null,
      completion: view?.rates.completion ?? null,
    },
    timeToSuccessMs: view?.timeToSuccessMs ?? { count: 0, p50: null, p95: null, p99: null },
    expected: expected ?? null,
    complete: items.submitted > 0 && items.pending === 0 && items.submitted >= (expected ?? 0),
    asOf: new Date(nowMs).toISOString(),
  };
}
