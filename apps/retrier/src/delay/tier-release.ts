import { chooseDelayTier } from '@workpipe/retry-policy';

export type TierRelease =
  /** Due: republish to the work topic now. */
  | { action: 'fire' }
  /** Held a full tier but not due yet: move to the tier matching the time left. */
  | { action: 'hop'; tierMs: number }
  /** Head of the partition is not releasable yet: pause the partition this long. */
  | { action: 'wait'; waitMs: number };

/**
 * What to do with the message at the head of a delay-tier partition.
 *
 * A message is held until `min(dueAt, enteredAt + tierMs)`: every tier except
 * the smallest only ever receives delays of at least its own length (the
 * scheduler picks the largest tier <= delay), so in those tiers the release
 * time is `enteredAt + tierMs`, which grows with arrival order: the partition
 * is first-in first-out and no short delay waits behind a long one. A message
 * released before its due time hops to the tier of the time left; the hops of
 * a delay D number about log(D / tier) and each only moves it forward.
 * Only the smallest tier can hold a message due sooner than one ahead of it,
 * and no message is held past `enteredAt + tier`, so whatever is ahead of a
 * message is released by the time it could be: a retry fires at most `smallest
 * tier` late (plus consume and produce time).
 */
export function tierRelease(
  dueAtMs: number,
  enteredAtMs: number,
  tierMs: number,
  nowMs: number,
  tiersMs: readonly number[],
): TierRelease {
  if (nowMs >= dueAtMs) return { action: 'fire' };
  const releaseAt = Math.min(dueAtMs, enteredAtMs + tierMs);
  if (nowMs < releaseAt) return { action: 'wait', waitMs: releaseAt - nowMs };
  // Never held past enteredAt + tier, even when little is left: holding longer would chain
  // waits and make the messages behind it late. Less than the smallest tier left: hop there.
  return { action: 'hop', tierMs: chooseDelayTier(dueAtMs - nowMs, tiersMs) };
}
