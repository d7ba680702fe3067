import type { AttemptRecord, WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import type { AbandonedFact, FailedFact, FailureMark, SucceededFact, WorkFact } from './item-fact';

/**
 * Maps a work item read from the work topic to its fact.
 *
 * @param item the decoded WorkItem
 * @param publishedAtMs the Kafka timestamp of the message, epoch ms: when the item reached
 *   the work topic (for a retry, when its delay ran out), used for the retry wait
 */
export function factFromWorkItem(item: WorkItem.Value, publishedAtMs: number): WorkFact {
  const deferrals = item.deferrals ?? 0;
  const last = item.history.at(-1);
  const base = { ...itemBase(item, item.replay?.replayId ?? '', item.history), kind: 'work' as const, attempt: item.attempt, deferrals };
  if (item.replay && isReplayStart(item, last)) return { ...base, phase: 'replay' };
  if (!item.replay && item.attempt === 1 && deferrals === 0) return { ...base, phase: 'submission' };
  const fact: WorkFact = { ...base, phase: 'retry' };
  if (last) fact.retryWaitMs = Math.max(0, Math.round(publishedAtMs - Date.parse(last.failedAt)));
  return fact;
}

export function factFromFailed(event: WorkFailed.Value): FailedFact {
  const item = event.item;
  const failure: FailureMark = { atMs: Date.parse(event.failedAt), type: event.failure.type, message: event.failure.message };
  const base = itemBase(item, item.replay?.replayId ?? '', item.history);
  return {
    ...base,
    kind: 'failed',
    attempt: item.attempt,
    deferrals: item.deferrals ?? 0,
    failure,
    // The failure this event reports is one more than the history it carries.
    historyLength: base.historyLength + 1,
    firstFailureAtMs: Math.min(base.firstFailureAtMs ?? failure.atMs, failure.atMs),
    lastFailure: laterFailure(base.lastFailure, failure),
  };
}

export function factFromSucceeded(event: WorkSucceeded.Value): SucceededFact {
  const marks = historyMarks(event.history);
  return {
    ...marks,
    historyLength: marks.historyLength + (event.historyDropped ?? 0),
    itemId: event.itemId,
    key: event.key,
    workType: event.type,
    batchId: event.batchId ?? '',
    createdAtMs: Date.parse(event.createdAt),
    replayId: event.replayId ?? '',
    kind: 'succeeded',
    attempt: event.attempt,
    completedAtMs: Date.parse(event.completedAt),
  };
}

export function factFromAbandoned(event: WorkAbandoned.Value): AbandonedFact {
  const item = event.item;
  return {
    ...itemBase(item, item.replay?.replayId ?? '', item.history),
    kind: 'abandoned',
    reason: event.reason,
    failureType: event.lastFailure.type,
    detail: event.detail,
    abandonedAtMs: Date.parse(event.abandonedAt),
  };
}

/**
 * The later of two failures; at the same millisecond the greater by type then
 * message, compared as UTF-8 bytes (as Lua compares strings), so the choice does
 * not depend on the order events arrive in.
 */
export function laterFailure(a: FailureMark | undefined, b: FailureMark | undefined): FailureMark | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.atMs !== b.atMs) return a.atMs > b.atMs ? a : b;
  return compareBytes(`${a.type}\u0000${a.message}`, `${b.type}\u0000${b.message}`) >= 0 ? a : b;
}

/** Compares strings by their UTF-8 bytes: the order of Lua's `<` in Redis (C locale). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A replayed item is at its replay's start when no failure happened since the replay. */
function isReplayStart(item: WorkItem.Value, last: AttemptRecord | undefined): boolean {
  if (!item.replay) return false;
  if (!last) return item.attempt === 1;
  return Date.parse(last.failedAt) <= Date.parse(item.replay.replayedAt);
}

function itemBase(item: WorkItem.Value, replayId: string, history: readonly AttemptRecord[]) {
  const marks = historyMarks(history);
  return {
    ...marks,
    // Records left out of a long history still count as failed attempts.
    historyLength: marks.historyLength + (item.historyDropped ?? 0),
    itemId: item.itemId,
    key: item.key,
    workType: item.type,
    batchId: item.batchId ?? '',
    createdAtMs: Date.parse(item.createdAt),
    replayId,
  };
}

function historyMarks(history: readonly AttemptRecord[]): {
  historyLength: number;
  firstFailureAtMs?: number;
  lastFailure?: FailureMark;
} {
  let first: number | undefined;
  let last: FailureMark | undefined;
  for (const record of history) {
    const mark: FailureMark = { atMs: Date.parse(record.failedAt), type: record.failure.type, message: record.failure.message };
    first = first === undefined ? mark.atMs : Math.min(first, mark.atMs);
    last = laterFailure(last, mark);
  }
  const marks: { historyLength: number; firstFailureAtMs?: number; lastFailure?: FailureMark } = { historyLength: history.length };
  if (first !== undefined) marks.firstFailureAtMs = first;
  if (last) marks.lastFailure = last;
  return marks;
}
