import type { ItemState } from './item-state';

/**
 * The state machine of an item, as a function of what is known about it:
 *
 * ```
 *            submitted
 *               │
 *               ▼
 *  ┌──────► pending ──── a success ─────────► succeeded
 *  │            │                             (recovered if it ever failed)
 *  │ replay     │ abandoned (every epoch seen
 *  │            ▼  ended in an abandonment)
 *  └──────── abandoned
 * ```
 *
 * - succeeded: some attempt succeeded (a success wins, even over an abandonment
 *   of the same epoch after a redelivery: the work was done);
 * - abandoned: every epoch seen (the original life and each replay) ended in an
 *   abandonment: a replay moves an abandoned item back to pending;
 * - pending: neither; `retryable` when it has failed at least once.
 */
export type ItemStatus = 'pending' | 'succeeded' | 'abandoned';

/** How an item shows in the failures view: failed and waiting for a retry, or given up. */
export type FailureStatus = 'retryable' | 'abandoned';

export function statusOf(s: ItemState): ItemStatus {
  if (s.successes > 0) return 'succeeded';
  if (s.abandonedEpochs > 0 && s.abandonedEpochs >= s.epochs.size) return 'abandoned';
  return 'pending';
}

/** Failed at least once: a failed attempt seen, a history carried, or an abandonment. */
export function hasFailed(s: ItemState): boolean {
  return s.failedAttempts > 0 || s.historyLength > 0 || s.abandonedEpochs > 0;
}

export function failureStatusOf(s: ItemState): FailureStatus | undefined {
  const status = statusOf(s);
  if (status === 'abandoned') return 'abandoned';
  if (status === 'pending' && hasFailed(s)) return 'retryable';
  return undefined;
}

/** Type shown for an item in the failures view: the abandonment's, else the last failure's. */
export function failureViewType(s: ItemState): string {
  if (statusOf(s) === 'abandoned' && s.abandonment) return s.abandonment.failureType;
  return s.lastFailure?.type ?? s.abandonment?.failureType ?? 'UNKNOWN';
}

/** Attempts that failed, as far as known: failed events seen, or the longest history carried. */
export function failedAttemptsOf(s: ItemState): number {
  return Math.max(s.failedAttempts, s.historyLength);
}
