import type { AttemptRecord, WorkFailed, WorkItem } from '@workpipe/contracts';

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

/** The item with its failed attempt appended: what every hop and the dead letter carry. */
export function withFailure(failed: WorkFailed.Value): WorkItem.Value {
  return { ...failed.item, history: [...failed.item.history, attemptRecordOf(failed)] };
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
