/**
 * Percentiles by the nearest-rank method: the p-th percentile of n sorted values
 * is the value of rank ceil(p/100 * n) (1-based), i.e. the smallest value with at
 * least p% of the values at or below it. It is always one of the observed values,
 * so it is exact: no interpolation, the same whether computed here or read by rank
 * from a Redis sorted set (`ZRANGE key i i`).
 *
 * Worked example, n = 20: p50 -> rank 10 (index 9); p95 -> rank 19 (index 18);
 * p99 -> rank ceil(19.8) = 20 (index 19, the maximum).
 */
export const REPORTED_PERCENTILES = [50, 95, 99] as const;

/** 0-based index of the p-th percentile among `count` sorted values; -1 when there are none. */
export function nearestRankIndex(count: number, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (count <= 0) return -1;
  // Same evaluation order as the Lua reader: (p * count) / 100.
  return Math.max(0, Math.ceil((p * count) / 100) - 1);
}

/** The p-th percentile of `values` (any order), or null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  const index = nearestRankIndex(values.length, p);
  if (index < 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[index] ?? null;
}

/** Count and p50/p95/p99 of a set of durations, in milliseconds. */
export interface DurationSummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function summarizeDurations(values: readonly number[]): DurationSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number | null => {
    const index = nearestRankIndex(sorted.length, p);
    return index < 0 ? null : (sorted[index] ?? null);
  };
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}
