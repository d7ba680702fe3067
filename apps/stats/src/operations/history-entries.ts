import type { SourcePosition, WorkAbandoned, WorkFailed, WorkSucceeded } from '@workpipe/contracts';
import type { RepublishedItem, ReplayOutcomeEvent } from '@workpipe/replay';
import { clip, type HistoryEntry } from './item-history';

/** An entry of one item's history, with its time for ordering. */
export interface TimedEntry {
  itemId: string;
  atMs: number;
  entry: HistoryEntry;
}

export function failedEntry(event: WorkFailed.Value): TimedEntry {
  const { item, failure } = event;
  return {
    itemId: item.itemId,
    atMs: Date.parse(event.failedAt),
    entry: {
      k: 'a',
      n: item.attempt,
      ...(item.replay ? { r: item.replay.replayId } : {}),
      at: event.failedAt,
      f: { t: failure.type, m: clip(failure.message), ...(failure.code ? { c: failure.code } : {}), re: failure.retryable },
      s: event.source,
      d: event.durationMs,
    },
  };
}

export function abandonedEntry(event: WorkAbandoned.Value, position: SourcePosition): TimedEntry {
  return {
    itemId: event.item.itemId,
    atMs: Date.parse(event.abandonedAt),
    entry: {
      k: 'd',
      pos: position,
      ...(event.item.replay ? { r: event.item.replay.replayId } : {}),
      at: event.abandonedAt,
      why: event.reason,
      det: clip(event.detail),
      ft: event.lastFailure.type,
    },
  };
}

/** A success worth a line in the history: after a failure or by a replay (a first-pass success is the item's state alone). */
export function succeededEntry(event: WorkSucceeded.Value): TimedEntry | undefined {
  if (event.history.length === 0 && !event.replayId && !event.historyDropped) return undefined;
  return {
    itemId: event.itemId,
    atMs: Date.parse(event.completedAt),
    entry: { k: 's', n: event.attempt, ...(event.replayId ? { r: event.replayId } : {}), at: event.completedAt },
  };
}

export function replayEntry(item: RepublishedItem): TimedEntry {
  return { itemId: item.itemId, atMs: Date.parse(item.replayedAt), entry: { k: 'r', r: item.replayId, at: item.replayedAt, s: item.source } };
}

/** What a success or an abandonment says about a replay's item; undefined for an event of no replay. */
export function outcomeEventOf(event: { kind: 'succeeded'; value: WorkSucceeded.Value } | { kind: 'abandoned'; value: WorkAbandoned.Value }): ReplayOutcomeEvent | undefined {
  if (event.kind === 'succeeded') {
    return event.value.replayId ? { replayId: event.value.replayId, itemId: event.value.itemId, kind: 'succeeded' } : undefined;
  }
  const replay = event.value.item.replay;
  if (!replay) return undefined;
  const { lastFailure, reason } = event.value;
  return { replayId: replay.replayId, itemId: event.value.item.itemId, kind: 'abandoned', failure: { type: lastFailure.type, message: clip(lastFailure.message), reason } };
}
