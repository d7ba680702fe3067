import { WorkItem, type AttemptRecord, type WorkFailed } from '@workpipe/contracts';

/** The failed attempt as it joins the item's history. */
export function attemptRecordOf(failed: WorkFailed.Value): AttemptRecord {
  return {
    attempt: failed.item.attempt,
    failure: failed.failure,
    failedAt: failed.failedAt,
    source: failed.source,
    durationMs: failed.durationMs,
  };
}

/**
 * The item with its failed attempt appended: what every hop and the dead
 * letter carry. Past {@link WorkItem.MAX_HISTORY_RECORDS} the history keeps
 * its first record (when the trouble started) and the latest ones; the
 * records in between are counted in `historyDropped`.
 */
export function withFailure(failed: WorkFailed.Value): WorkItem.Value {
  const history = [...failed.item.history, attemptRecordOf(failed)];
  const excess = history.length - WorkItem.MAX_HISTORY_RECORDS;
  if (excess <= 0) return { ...failed.item, history };
  return {
    ...failed.item,
    history: [history[0] as AttemptRecord, ...history.slice(1 + excess)],
    historyDropped: (failed.item.historyDropped ?? 0) + excess,
  };
}

/** The next try of an item, carrying its whole history. */
export function nextAttempt(
  failed: WorkFailed.Value,
  decision: { nextAttempt: number; consumesAttempt: boolean },
): WorkItem.Value {
  const item = withFailure(failed);
  const deferrals = (item.deferrals ?? 0) + (decision.consumesAttempt ? 0 : 1);
  return { ...item, attempt: decision.nextAttempt, ...(deferrals > 0 ? { deferrals } : {}) };
}
