import { UsageError } from '../errors/usage-error';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A duration such as `500ms`, `30s`, `10m`, `2h`, `1d` or `1w`, in milliseconds.
 * @throws UsageError naming `flag` when the text is none of these or is zero
 */
export function parseDurationMs(text: string, flag: string, hint: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * (UNIT_MS[match[2] as string] as number)) : Number.NaN;
  if (!(ms > 0)) {
    throw new UsageError(`${flag} must be a duration such as 30s, 10m, 2h or 1d, got "${text}"`, hint);
  }
  return ms;
}

/**
 * A point in time for `--since/--until`, in epoch milliseconds: an ISO-8601
 * timestamp with a zone (`2025-03-14T09:00:00Z`, `2025-03-14T10:00+01:00`), a
 * date (`2025-03-14`, midnight UTC), or a duration back from now (`2h` = two
 * hours ago).
 *
 * @param now epoch milliseconds, the reference of relative times
 * @throws UsageError naming `flag`
 */
export function parseTimeBound(text: string, flag: string, now: number, hint: string): number {
  const trimmed = text.trim();
  if (DURATION.test(trimmed)) return now - parseDurationMs(trimmed, flag, hint);
  if (ISO_DATE.test(trimmed) || ISO_DATE_TIME.test(trimmed)) {
    const ms = Date.parse(ISO_DATE.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(
    `${flag} must be an ISO timestamp with a zone (2025-03-14T09:00:00Z), a date (2025-03-14) ` +
      `or a time back from now (30m, 2h, 1d), got "${text}"`,
    hint,
  );
}
