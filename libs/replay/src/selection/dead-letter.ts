import type { SourcePosition, WorkAbandoned } from '@workpipe/contracts';

/** A dead letter as read from the abandoned topic, with where it was read from. */
export interface DeadLetter {
  position: SourcePosition;
  value: WorkAbandoned.Value;
}

/**
 * `<topic>:<partition>:<offset>`: names one dead letter for good, in the
 * ledger, in a replay's lists and in messages.
 */
export function positionKey(position: SourcePosition): string {
  return `${position.topic}:${position.partition}:${position.offset}`;
}

/** Orders positions by topic, then partition, then offset (numerically: offsets are int64 strings). */
export function comparePositions(a: SourcePosition, b: SourcePosition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  const left = BigInt(a.offset);
  const right = BigInt(b.offset);
  return left === right ? 0 : left < right ? -1 : 1;
}

/**
 * A dead letter's place in "which is the latest of its item": `abandonedAt`
 * first, then its position within one topic (same key, same partition: the
 * later offset). Fixed width, so comparing two ranks as strings is comparing
 * the dead letters: `0001741943400000:00002:0000000000000000140`.
 */
export function latestRank(abandonedAtMs: number, partition: number, offset: string): string {
  return `${String(Math.max(0, Math.trunc(abandonedAtMs))).padStart(16, '0')}:${String(partition).padStart(5, '0')}:${offset.padStart(19, '0')}`;
}

/** Newer first by `abandonedAt`; on a tie, the later position (same key, same partition: later offset). */
export function isLaterDeadLetter(candidate: DeadLetter, current: DeadLetter): boolean {
  return rankOf(candidate) > rankOf(current);
}

function rankOf({ value, position }: DeadLetter): string {
  return latestRank(Date.parse(value.abandonedAt), position.partition, position.offset);
}
