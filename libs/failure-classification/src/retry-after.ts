/**
 * A `Retry-After` header value as a delay in milliseconds from `nowMs` (epoch milliseconds).
 * Accepts delta-seconds (`120`, leniently also `1.5`) and HTTP-dates (`Wed, 21 Oct 2015 07:28:00
 * GMT`, and the obsolete RFC 850 and asctime forms, which are GMT by definition). A date in the
 * past gives 0. `undefined` when absent or unparseable.
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only something with a month or day name can be a date; Date.parse reads bare numbers as years.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const hasZone = /\b(GMT|UTC|UT|Z)\b|[+-]\d{4}\b/i.test(text);
  const atMs = Date.parse(hasZone ? text : `${text} GMT`);
  if (Number.isNaN(atMs)) return undefined;
  return Math.max(0, atMs - nowMs);
}
