import type { MinutePoint } from '../series/minute-series';
import type { StatsView } from './stats-view';

/** The numbers of a scope as `GET /v1/stats` and `GET /v1/batches/:id` answer them. */
export interface ScopeAnswer extends StatsView {
  scope: { kind: 'overall' } | { kind: 'batch'; batchId: string };
  /** Age of the oldest pending item, in ms at `asOf`. */
  oldestPendingAgeMs: number | null;
  /** Age of the oldest failure waiting for a retry, in ms at `asOf`. */
  oldestRetryableFailureAgeMs: number | null;
  /** Age of the oldest failure still standing (retryable or abandoned), in ms at `asOf`. */
  oldestFailureAgeMs: number | null;
  series: MinutePoint[];
  asOf: string;
}
