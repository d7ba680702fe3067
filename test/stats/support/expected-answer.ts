import { buildStatsView, toMinutePoints, type Scope, type StatsLedger } from '@workpipe/stats-model';

/** What `/v1/batches/:id` must answer, from the model, without the time-dependent fields. */
export function expectedBatchAnswer(ledger: StatsLedger, batchId: string): Record<string, unknown> {
  const scope: Scope = { kind: 'batch', batchId };
  return {
    scope,
    ...buildStatsView(ledger.snapshot(scope)),
    series: toMinutePoints(ledger.totals(scope).series),
  };
}

/** What `/v1/stats` must answer, from the model, without the series and the time-dependent fields. */
export function expectedOverallAnswer(ledger: StatsLedger): Record<string, unknown> {
  return { scope: { kind: 'overall' }, ...buildStatsView(ledger.snapshot({ kind: 'overall' })) };
}

/** An API answer without what depends on the clock. */
export function timeless(body: Record<string, unknown>, withSeries = true): Record<string, unknown> {
  const { asOf: _asOf, oldestPendingAgeMs: _a, oldestRetryableFailureAgeMs: _b, oldestFailureAgeMs: _c, series, ...rest } = body;
  return withSeries ? { ...rest, series } : rest;
}
