import { InvalidRetryInputError } from './errors/invalid-retry-input-error';
import type { FailureTypePolicy } from './failure-type-policy';
import type { RetryPolicy } from './retry-policy';

/**
 * Delay before the n-th retry of one failure type, in milliseconds.
 *
 * `step` is the attempt that just failed (1-based) for a type that consumes attempts, and the
 * deferral about to be made (1-based) for one that does not (CIRCUIT_OPEN), so deferrals back
 * off too instead of hammering a breaker that stays open.
 *
 *   exponential = baseDelayMs × 2^(step − 1)
 *   capped      = min(exponential, maxDelayMs)
 *   jittered    = capped × (1 − jitterRatio + 2 × jitterRatio × random())      random() in [0, 1)
 *   floor       = max(minDelayMs, retryAfterMs ?? 0)
 *   delay       = min(max(jittered, floor), maxDelayMs)
 *   delayMs     = round(delay × timeScale)
 *
 * The cap is applied before jitter (so a capped delay is still spread) and after it (so jitter
 * never exceeds the cap). The cap also wins over a downstream's Retry-After: `maxDelayMs` is a
 * promise about how long an item may sleep, and it keeps the top delay tier first-in first-out;
 * to honour longer Retry-After values, raise RATE_LIMIT's `maxDelayMs` and the policy ceiling.
 * Below the cap, jitter never brings a delay under Retry-After.
 * Scaling the result is the same as scaling every base, cap and floor, because min, max and
 * multiplication by a positive factor commute.
 *
 * Worked numbers with the default table, before jitter (jitter moves each by at most ±10 %):
 *
 *   API_ERROR        5 attempts, 60 s   attempt 1 → 60 s, 2 → 120 s, 3 → 240 s, 4 → 480 s, 5 → abandon
 *   TIMEOUT          3 attempts, 30 s   attempt 1 → 30 s, 2 → 60 s, 3 → abandon
 *   EMPTY_REPORT     2 attempts, 120 s  attempt 1 → 120 s, 2 → abandon
 *   PROCESSING_ERROR 2 attempts, 180 s  attempt 1 → 180 s, 2 → abandon
 *   RATE_LIMIT      10 attempts, 300 s  attempt 1 → 300 s, 2 → 600 s, 3 → 1 200 s, 4 → 2 400 s,
 *                                       5..9 → 3 600 s (the cap; with jitter 3 240..3 600 s), 10 → abandon
 *   AUTHENTICATION   1 attempt          attempt 1 → abandon
 *   VALIDATION       not retryable      abandon at once
 *   CIRCUIT_OPEN     30 s, cap 5 min    deferral 1 → 30 s, 2 → 60 s, 3 → 120 s, 4 → 240 s,
 *                    20 deferrals       5..20 → 300 s, 21st → abandon; about 87.5 min in all
 *   custom type      3 attempts, 60 s   attempt 1 → 60 s, 2 → 120 s, 3 → abandon
 *
 * Jitter, API_ERROR attempt 2: random() = 0 → 108 s, 0.5 → 120 s, 0.999 → 131.976 s.
 * Retry-After, RATE_LIMIT attempt 1, Retry-After 400 s, random() = 0: max(270 s, 400 s) = 400 s.
 * timeScale 0.001, API_ERROR attempt 1: 60 ms.
 *
 * @param row the failure type's row of the table
 * @param step 1-based, see above
 * @param policy supplies `timeScale` and `minDelayMs`
 * @param random uniform in [0, 1); called exactly once
 * @param retryAfterMs the downstream's Retry-After in milliseconds, if any; a value that is not a
 *   finite non-negative number is ignored, because it comes from the wire and must not stop retries
 */
export function computeRetryDelayMs(
  row: FailureTypePolicy,
  step: number,
  policy: Pick<RetryPolicy, 'timeScale' | 'minDelayMs'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const draw = random();
  if (!(draw >= 0 && draw < 1)) {
    throw new InvalidRetryInputError('random', `random() must return a number in [0, 1), got ${String(draw)}`);
  }
  const exponential = row.baseDelayMs * 2 ** (step - 1);
  const capped = Math.min(exponential, row.maxDelayMs);
  const jittered = capped * (1 - row.jitterRatio + 2 * row.jitterRatio * draw);
  // Rounded up: waiting a fraction of a millisecond longer is harmless, shorter is not.
  const retryAfterFloor =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? Math.ceil(retryAfterMs) : 0;
  const floor = Math.max(policy.minDelayMs, retryAfterFloor);
  const delay = Math.min(Math.max(jittered, floor), row.maxDelayMs);
  return Math.round(delay * policy.timeScale);
}
