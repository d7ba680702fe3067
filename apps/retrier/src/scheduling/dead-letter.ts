import { HEADERS, WorkAbandoned, type AbandonReason, type WorkFailed, type WorkItem } from '@workpipe/contracts';
import { output, type Output } from '@workpipe/kafka';
import { withFailure } from './attempt-record';

/** The dead letter of a failed attempt: the item with its whole (bounded) history, the reason and a sentence of detail. */
export function deadLetter(abandonedTopic: string, failed: WorkFailed.Value, reason: AbandonReason, detail: string, now: Date = new Date()): Output {
  const event: WorkAbandoned.Value = {
    item: withFailure(failed),
    reason,
    detail,
    lastFailure: failed.failure,
    abandonedAt: now.toISOString(),
  };
  return output(abandonedTopic, WorkAbandoned, {
    key: event.item.key,
    value: event,
    headers: { ...itemHeaders(event.item), [HEADERS.failureType]: event.lastFailure.type },
  });
}

export function itemHeaders(item: WorkItem.Value): Record<string, string | number | undefined> {
  return {
    [HEADERS.itemId]: item.itemId,
    [HEADERS.batchId]: item.batchId,
    [HEADERS.attempt]: item.attempt,
    [HEADERS.correlationId]: item.correlationId,
    [HEADERS.failureType]: item.history.at(-1)?.failure.type,
    [HEADERS.replayId]: item.replay?.replayId,
  };
}
