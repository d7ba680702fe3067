import { InvalidDelayTiersError } from './errors/invalid-delay-tiers-error';
import { InvalidRetryInputError } from './errors/invalid-retry-input-error';
import { DEFAULT_MAX_DELAY_MS } from './retry-policy-defaults';

/**
 * Suggested delay-topic tiers, in milliseconds: 1 s, 5 s, 30 s, 1 min, 5 min, 15 min, 1 h.
 * The top tier equals {@link DEFAULT_MAX_DELAY_MS}, see {@link delayTierLatenessBoundMs}.
 */
export const DEFAULT_DELAY_TIERS_MS: readonly number[] = Object.freeze([
  1_000, 5_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
]);

/**
 * Checks that tiers are a non-empty, strictly ascending list of positive integers (milliseconds).
 * Call it once at start-up so a bad setting stops the service; `chooseDelayTier` checks again.
 * @throws InvalidDelayTiersError
 */
export function validateDelayTiers(tiersMs: readonly number[]): void {
  if (tiersMs.length === 0) throw new InvalidDelayTiersError('delay tiers must not be empty');
  tiersMs.forEach((tier, index) => {
    if (!(Number.isSafeInteger(tier) && tier > 0)) {
      throw new InvalidDelayTiersError(
        `delay tier ${index} must be a positive integer of milliseconds, got ${String(tier)}`,
      );
    }
    if (index > 0 && tier <= tiersMs[index - 1]!) {
      throw new InvalidDelayTiersError(
        `delay tiers must be strictly ascending, got ${String(tiersMs[index - 1])} then ${String(tier)}`,
      );
    }
  });
}

/**
 * Which delay topic a retry waits in: the LARGEST tier <= `delayMs`, or the smallest tier when
 * the delay is below all of them.
 *
 * Why this choice. The retrier holds every message until its exact due time, so the tier never
 * makes a message fire early; it only decides which queue the message waits in. A tier topic is
 * read in order and its consumer waits on the head message, so a message can be held up by the
 * ones in front of it (head-of-line blocking). With this rule every delay in tier t lies in
 * [t, next) (the smallest tier also takes shorter delays: [0, next)), so two messages that
 * entered a tier in order have due times out of order by less than the tier's width: a 1 s retry
 * never queues behind a 1 h one, only behind delays of its own order of magnitude.
 *
 * Lateness bound (besides consumer lag and produce latency, per partition): a message that enters
 * tier t is released less than (next − t) after its due time (next − 0 for the smallest tier),
 * i.e. less than `next` after it entered the tier. For the top tier
 * the delays run from t to the policy's ceiling, so the bound is ceiling − t: zero with the
 * defaults (ceiling and top tier both 1 h), which makes the top tier strictly first-in first-out.
 * `delayTierLatenessBoundMs` computes the bound; with the default tiers it is 5 s, 25 s, 30 s,
 * 4 min, 10 min, 45 min and 0. One topic for all delays would make the bound the longest delay.
 * Rounding up instead (smallest tier >= delay) would give similar bounds, but only rounding down
 * keeps a tier's own delay a lower bound on every delay it holds, which the remedy below needs.
 *
 * Where that is too late (the 15 min tier mixes RATE_LIMIT's 20 and 40 min retries), the retrier
 * can hold a message only until min(due, entered + tier) and route the remainder through this
 * function again: every tier but the smallest then holds each message exactly its own delay, is
 * first-in first-out, and lateness drops below the smallest tier, plus one re-publish per hop.
 *
 * @param delayMs the retry delay in milliseconds (as returned by `decide`)
 * @param tiersMs the configured tiers in milliseconds, strictly ascending
 * @returns one of `tiersMs`
 * @throws InvalidDelayTiersError for bad tiers; InvalidRetryInputError for a NaN delay
 */
export function chooseDelayTier(delayMs: number, tiersMs: readonly number[]): number {
  validateDelayTiers(tiersMs);
  if (Number.isNaN(delayMs)) throw new InvalidRetryInputError('delayMs', 'delayMs must be a number, got NaN');
  let chosen = tiersMs[0]!;
  for (const tier of tiersMs) {
    if (tier > delayMs) break;
    chosen = tier;
  }
  return chosen;
}

/**
 * Worst-case lateness, in milliseconds, of a message held until its due time in tier `tierMs`
 * when tiers are chosen by {@link chooseDelayTier}: the spread of the delays that tier can hold
 * (see there). Consumer lag comes on top.
 * @param maxDelayMs the longest delay the policy produces (its ceiling), which bounds the top
 *   tier; default {@link DEFAULT_MAX_DELAY_MS} (1 h)
 * @throws InvalidDelayTiersError when `tierMs` is not one of `tiersMs`
 */
export function delayTierLatenessBoundMs(
  tierMs: number,
  tiersMs: readonly number[],
  maxDelayMs: number = DEFAULT_MAX_DELAY_MS,
): number {
  validateDelayTiers(tiersMs);
  const index = tiersMs.indexOf(tierMs);
  if (index < 0) throw new InvalidDelayTiersError(`${String(tierMs)} is not one of the delay tiers`);
  const shortest = index === 0 ? 0 : tierMs;
  const longest = index === tiersMs.length - 1 ? Math.max(maxDelayMs, tierMs) : tiersMs[index + 1]!;
  return longest - shortest;
}
