import { getHeader, type HttpHeaders } from './http-headers';

/** What a downstream told us about its rate limit, for the adaptive limiter. */
export interface RateLimitHints {
  /** Requests allowed per window (X-RateLimit-Limit). */
  readonly limit?: number;
  /** Requests left in the current window (X-RateLimit-Remaining). */
  readonly remaining?: number;
  /** When the window resets, epoch milliseconds (X-RateLimit-Reset). */
  readonly resetAtMs?: number;
}

/** Above this a reset value cannot be a delta (that would be 31 years): it is epoch seconds. */
export const EPOCH_SECONDS_THRESHOLD = 1e9;
/** Above this it cannot be epoch seconds either (year 33658): some APIs send epoch milliseconds. */
export const EPOCH_MILLISECONDS_THRESHOLD = 1e12;

/**
 * Reads X-RateLimit-Limit / -Remaining / -Reset (falling back to the IETF draft's unprefixed
 * RateLimit-* names). Only fields present and parseable are set.
 * Reset: a value > 1e12 is epoch milliseconds, > 1e9 epoch seconds, anything else delta seconds
 * from `nowMs` (epoch milliseconds).
 */
export function parseRateLimitHeaders(headers: HttpHeaders, nowMs: number): RateLimitHints {
  const read = (name: string) => getHeader(headers, `x-ratelimit-${name}`) ?? getHeader(headers, `ratelimit-${name}`);
  const limit = parseCount(read('limit'));
  const remaining = parseCount(read('remaining'));
  const resetAtMs = parseResetAtMs(read('reset'), nowMs);
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetAtMs === undefined ? {} : { resetAtMs }),
  };
}

/** Leading integer, so `100, 100;w=60` (IETF draft with a policy) still reads as 100. */
function parseCount(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d+)(?![.\d])/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** X-RateLimit-Reset as epoch milliseconds, see {@link parseRateLimitHeaders}. */
export function parseResetAtMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  const number = Number(value);
  if (number > EPOCH_MILLISECONDS_THRESHOLD) return Math.round(number);
  if (number > EPOCH_SECONDS_THRESHOLD) return Math.round(number * 1000);
  return nowMs + Math.ceil(number * 1000);
}
