import type { SourcePosition, WorkAbandoned } from '@workpipe/contracts';

/** A dead letter as read from the abandoned topic, with where it was read from. */
export interface DeadLetter {
  position: SourcePosition;
  value: WorkAbandoned.Value;
}

/**
 * `<topic>:<partition>:<offset>`: names one dead letter for good. It is the
 * idempotency key of its replay and the field of the replay's item list.
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

/** Newer first by `abandonedAt`; on a tie, the later position (same key, same partition: later offset). */
export function isLaterDeadLetter(candidate: DeadLetter, current: DeadLetter): boolean {
  const a = Date.parse(candidate.value.abandonedAt);
  const b = Date.parse(current.value.abandonedAt);
  if (a !== b) return a > b;
  return comparePositions(candidate.position, current.position) > 0;
}
