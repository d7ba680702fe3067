import type { MinutePoint, StatsView } from '@workpipe/stats-model';
import type { FailureRecord } from '../../../stats/src/reading/failure-record';

/**
 * `GET /v1/stats` and `GET /v1/batches/:id`: the stats view (libs/stats-model) with what the
 * reader adds to it (`ScopeAnswer` of apps/stats/src/reading/stats-reader.service.ts, a decorated
 * service file whose types a browser build cannot load).
 */
export interface StatsAnswer extends StatsView {
  scope: { kind: 'overall' } | { kind: 'batch'; batchId: string };
  oldestPendingAgeMs: number | null;
  oldestRetryableFailureAgeMs: number | null;
  oldestFailureAgeMs: number | null;
  series: MinutePoint[];
  asOf: string;
}

/** `GET /v1/failures`: one page, oldest first failure first. */
export interface FailureList {
  total: number;
  offset: number;
  limit: number;
  items: FailureRecord[];
}

export type { FailureRecord, MinutePoint };
