import type { AbandonReason } from '@workpipe/contracts';
import { InvalidRetryInputError } from './errors/invalid-retry-input-error';
import { computeRetryDelayMs } from './retry-delay';
import { policyForType, type RetryPolicy } from './retry-policy';

/** What `decide` needs to know about a failure; a `WorkFailure` fits. */
export interface DecidableFailure {
  /** Failure type, built-in or custom; a type the table does not know gets the custom-type row. */
  readonly type: string;
  /** false: abandon at once with NOT_RETRYABLE, whatever the table says. */
  readonly retryable: boolean;
  /** The downstream's Retry-After, in milliseconds: the delay is never shorter (up to the cap). Optional. */
  readonly retryAfterMs?: number;
}

/** What `decide` needs to know about the item beyond its attempt number. */
export interface DecideOptions {
  /**
   * How many times this item has already been deferred without consuming an attempt
   * (CIRCUIT_OPEN), over its whole life. Count. Default 0.
   */
  readonly deferrals?: number;
}

/** Retry after `delayMs` as attempt `nextAttempt`, or give up for `reason`. */
export type RetryDecision =
  | {
      readonly action: 'retry';
      /** Wait before the next attempt, in milliseconds, already time-scaled. */
      readonly delayMs: number;
      /** Attempt number of the retry: the failed one + 1, or the same when no attempt was consumed. */
      readonly nextAttempt: number;
      /** false: this was a deferral; the caller adds one to the item's deferral count. */
      readonly consumesAttempt: boolean;
    }
  | { readonly action: 'abandon'; readonly reason: AbandonReason };

/**
 * Decides what happens to an item whose attempt just failed. Pure: the only randomness is
 * `random`, called once and only when retrying. The delay formula and worked numbers are on
 * {@link computeRetryDelayMs}.
 *
 * In order:
 * 1. the failure or its type is not retryable → abandon, NOT_RETRYABLE;
 * 2. the type consumes attempts: `attempt >= maxAttempts` → abandon, MAX_ATTEMPTS;
 *    otherwise retry as `attempt + 1` after the delay for step `attempt`;
 * 3. the type does not consume attempts (CIRCUIT_OPEN): `deferrals >= maxDeferrals` → abandon,
 *    CIRCUIT_OPEN (MAX_ATTEMPTS for a custom type); otherwise retry as the same `attempt` after
 *    the delay for step `deferrals + 1`.
 *
 * @param failure the failure the attempt ended with
 * @param attempt the 1-based number of the attempt that failed
 * @param policy the resolved table, see `resolveRetryPolicy`
 * @param random uniform in [0, 1), e.g. `Math.random`
 * @param options the item's deferral count
 * @throws InvalidRetryInputError for an attempt or deferral count that is not a valid count, or a
 *   random() outside [0, 1): bugs in the caller
 */
export function decide(
  failure: DecidableFailure,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  options: DecideOptions = {},
): RetryDecision {
  const deferrals = options.deferrals ?? 0;
  if (!(Number.isSafeInteger(attempt) && attempt >= 1)) {
    throw new InvalidRetryInputError('attempt', `attempt must be an integer >= 1, got ${String(attempt)}`);
  }
  if (!(Number.isSafeInteger(deferrals) && deferrals >= 0)) {
    throw new InvalidRetryInputError('deferrals', `deferrals must be an integer >= 0, got ${String(deferrals)}`);
  }

  const row = policyForType(policy, failure.type);
  if (!failure.retryable || !row.retryable) return { action: 'abandon', reason: 'NOT_RETRYABLE' };

  if (row.consumesAttempt) {
    if (attempt >= row.maxAttempts) return { action: 'abandon', reason: 'MAX_ATTEMPTS' };
    return {
      action: 'retry',
      delayMs: computeRetryDelayMs(row, attempt, policy, random, failure.retryAfterMs),
      nextAttempt: attempt + 1,
      consumesAttempt: true,
    };
  }

  if (deferrals >= row.maxDeferrals) {
    return { action: 'abandon', reason: failure.type === 'CIRCUIT_OPEN' ? 'CIRCUIT_OPEN' : 'MAX_ATTEMPTS' };
  }
  return {
    action: 'retry',
    delayMs: computeRetryDelayMs(row, deferrals + 1, policy, random, failure.retryAfterMs),
    nextAttempt: attempt,
    consumesAttempt: false,
  };
}
