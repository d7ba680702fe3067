/**
 * The per-minute time series. Each scope keeps one hash whose fields are
 * `<epoch minute>:<metric>` (epoch minute = floor(epoch ms / 60000)) and whose
 * values are counts; this module turns such fields back into points.
 */
export const SERIES_METRICS = ['submitted', 'succeeded', 'failed', 'abandoned'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

export interface MinutePoint {
  /** Start of the minute, ISO-8601 UTC. */
  minute: string;
  submitted: number;
  succeeded: number;
  failed: number;
  abandoned: number;
}

export function seriesField(minute: number, metric: SeriesMetric): string {
  return `${minute}:${metric}`;
}

/** The hash fields of every metric for minutes `from`..`to` (epoch minutes, inclusive). */
export function seriesFields(fromMinute: number, toMinute: number): string[] {
  const fields: string[] = [];
  for (let minute = fromMinute; minute <= toMinute; minute++) {
    for (const metric of SERIES_METRICS) fields.push(seriesField(minute, metric));
  }
  return fields;
}

/**
 * Points from series fields. Zero and unknown fields are ignored; the points run
 * from `fromMinute` (default: the first minute with a count) to `toMinute`
 * (default: the last one), one per minute, gaps filled with zeros.
 */
export function toMinutePoints(
  fields: Readonly<Record<string, number>>,
  bounds: { fromMinute?: number; toMinute?: number } = {},
): MinutePoint[] {
  const counts = new Map<number, Record<SeriesMetric, number>>();
  for (const [field, value] of Object.entries(fields)) {
    const match = /^(-?\d+):(submitted|succeeded|failed|abandoned)$/.exec(field);
    if (!match || !value) continue;
    const minute = Number(match[1]);
    const entry = counts.get(minute) ?? { submitted: 0, succeeded: 0, failed: 0, abandoned: 0 };
    entry[match[2] as SeriesMetric] += value;
    counts.set(minute, entry);
  }
  let first: number | undefined;
  let last: number | undefined;
  for (const minute of counts.keys()) {
    if (first === undefined || minute < first) first = minute;
    if (last === undefined || minute > last) last = minute;
  }
  const from = bounds.fromMinute ?? first;
  const to = bounds.toMinute ?? last;
  if (from === undefined || to === undefined || to < from) return [];
  const points: MinutePoint[] = [];
  for (let minute = from; minute <= to; minute++) {
    const entry = counts.get(minute) ?? { submitted: 0, succeeded: 0, failed: 0, abandoned: 0 };
    points.push({ minute: new Date(minute * 60_000).toISOString(), ...entry });
  }
  return points;
}

/** Sums of each metric over the points. */
export function sumPoints(points: readonly MinutePoint[]): Record<SeriesMetric, number> {
  const total = { submitted: 0, succeeded: 0, failed: 0, abandoned: 0 };
  for (const point of points) {
    for (const metric of SERIES_METRICS) total[metric] += point[metric];
  }
  return total;
}

/** Epoch minutes of a window ending with the minute of `nowMs`: `windowMinutes` buckets, current one included. */
export function windowMinutes(nowMs: number, windowMinutes: number): { fromMinute: number; toMinute: number } {
  const toMinute = Math.floor(nowMs / 60_000);
  return { fromMinute: toMinute - Math.max(1, windowMinutes) + 1, toMinute };
}
