/** Failure types a replay cannot fix: the request itself is wrong. */
export const NOT_WORTH_RETRYING_TYPES: readonly string[] = ['VALIDATION'];

/** What retry-failures needs to know of an item's latest dead letter. */
export interface LatestDeadLetter {
  itemId: string;
  partition: number;
  offset: string;
  abandonedAtMs: number;
  reason: string;
  lastFailureType: string;
}

/** Why retry-failures left an item's latest dead letter alone, or `candidate`. */
export type CandidateVerdict = 'candidate' | 'notWorthRetrying' | 'otherType' | 'alreadyReplayed' | 'succeededLater';

/** Whether replaying can help: not NOT_RETRYABLE and not a VALIDATION failure. */
export function isWorthRetrying(latest: Pick<LatestDeadLetter, 'reason' | 'lastFailureType'>): boolean {
  return latest.reason !== 'NOT_RETRYABLE' && !NOT_WORTH_RETRYING_TYPES.includes(latest.lastFailureType);
}

/**
 * Sorts an item's latest dead letter, in this order: not worth retrying, not
 * of an asked type, replayed already (its position is settled in the ledger),
 * succeeded after it was abandoned; else a candidate.
 *
 * @param types asked types; empty = any
 * @param settled whether the ledger has this dead letter
 * @param lastSuccessAtMs the item's success, epoch milliseconds, if any
 */
export function judgeCandidate(latest: LatestDeadLetter, types: readonly string[], settled: boolean, lastSuccessAtMs: number | undefined): CandidateVerdict {
  if (!isWorthRetrying(latest)) return 'notWorthRetrying';
  if (types.length > 0 && !types.includes(latest.lastFailureType)) return 'otherType';
  if (settled) return 'alreadyReplayed';
  if (lastSuccessAtMs !== undefined && lastSuccessAtMs > latest.abandonedAtMs) return 'succeededLater';
  return 'candidate';
}
