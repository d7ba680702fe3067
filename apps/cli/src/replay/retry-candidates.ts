import { isLaterDeadLetter, positionKey, type DeadLetter } from './dead-letter';

/** Failure types a replay cannot fix: the request itself is wrong. */
export const NOT_WORTH_RETRYING_TYPES: readonly string[] = ['VALIDATION'];

/** Why `retry-failures` left an item's latest dead letter alone, with counts. */
export interface RetryDrops {
  /** NOT_RETRYABLE, or a last failure of a type in {@link NOT_WORTH_RETRYING_TYPES}. */
  notWorthRetrying: number;
  /** Not of a `--type` asked for. */
  otherType: number;
  /** This dead letter was replayed already (its idempotency key is in Redis). */
  alreadyReplayed: number;
  /** A `WorkSucceeded` of the item completed after it was abandoned. */
  succeededLater: number;
}

/** The latest dead letter of each item (by `abandonedAt`, then position), in `abandonedAt` order, oldest first. */
export function latestPerItem(deadLetters: readonly DeadLetter[]): DeadLetter[] {
  const latest = new Map<string, DeadLetter>();
  for (const deadLetter of deadLetters) {
    const current = latest.get(deadLetter.value.item.itemId);
    if (!current || isLaterDeadLetter(deadLetter, current)) latest.set(deadLetter.value.item.itemId, deadLetter);
  }
  return [...latest.values()].sort((a, b) => (isLaterDeadLetter(a, b) ? 1 : isLaterDeadLetter(b, a) ? -1 : 0));
}

/** Whether replaying can help: not NOT_RETRYABLE and not a VALIDATION failure. */
export function isWorthRetrying(deadLetter: DeadLetter): boolean {
  return deadLetter.value.reason !== 'NOT_RETRYABLE' && !NOT_WORTH_RETRYING_TYPES.includes(deadLetter.value.lastFailure.type);
}

/**
 * First pass of `retry-failures`, on the dead letters alone: the latest per item,
 * worth retrying, of the asked types. What is left still has to be checked
 * against Redis (already replayed) and the succeeded topic (succeeded since).
 */
export function preselectRetryCandidates(
  deadLetters: readonly DeadLetter[],
  types: readonly string[],
): { candidates: DeadLetter[]; drops: Pick<RetryDrops, 'notWorthRetrying' | 'otherType'> } {
  const drops = { notWorthRetrying: 0, otherType: 0 };
  const candidates: DeadLetter[] = [];
  for (const deadLetter of latestPerItem(deadLetters)) {
    if (!isWorthRetrying(deadLetter)) drops.notWorthRetrying += 1;
    else if (types.length > 0 && !types.includes(deadLetter.value.lastFailure.type)) drops.otherType += 1;
    else candidates.push(deadLetter);
  }
  return { candidates, drops };
}

/**
 * Second pass: drops candidates already replayed or succeeded since they were
 * abandoned, and applies `--max` (oldest abandonment first).
 *
 * @param replayed position keys whose replay is recorded
 * @param lastSuccessAt per item id, the latest `completedAt` of a `WorkSucceeded`, epoch milliseconds
 * @param max at most this many are chosen; all when undefined
 */
export function chooseRetryCandidates(
  candidates: readonly DeadLetter[],
  replayed: ReadonlySet<string>,
  lastSuccessAt: ReadonlyMap<string, number>,
  max?: number,
): { available: DeadLetter[]; chosen: DeadLetter[]; drops: Pick<RetryDrops, 'alreadyReplayed' | 'succeededLater'> } {
  const drops = { alreadyReplayed: 0, succeededLater: 0 };
  const available: DeadLetter[] = [];
  for (const deadLetter of candidates) {
    const succeededAt = lastSuccessAt.get(deadLetter.value.item.itemId);
    if (replayed.has(positionKey(deadLetter.position))) drops.alreadyReplayed += 1;
    else if (succeededAt !== undefined && succeededAt > Date.parse(deadLetter.value.abandonedAt)) drops.succeededLater += 1;
    else available.push(deadLetter);
  }
  return { available, chosen: max === undefined ? available : available.slice(0, max), drops };
}
