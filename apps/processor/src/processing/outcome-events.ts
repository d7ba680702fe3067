import {
  HEADERS,
  type Failure,
  type SourcePosition,
  type WorkFailed,
  type WorkItem,
  type WorkSucceeded,
} from '@workpipe/contracts';
import type { OutgoingEvent } from '@workpipe/kafka';

/** Headers every outcome carries, so Kafka UI can filter without decoding. */
export function outcomeHeaders(item: WorkItem.Value, failureType?: string): Record<string, string | number | undefined> {
  return {
    [HEADERS.itemId]: item.itemId,
    [HEADERS.batchId]: item.batchId,
    [HEADERS.attempt]: item.attempt,
    [HEADERS.correlationId]: item.correlationId,
    [HEADERS.failureType]: failureType,
    [HEADERS.replayId]: item.replay?.replayId,
  };
}

export function succeededEvent(
  item: WorkItem.Value,
  result: Record<string, unknown>,
  source: SourcePosition,
  durationMs: number,
  completedAt: Date,
): OutgoingEvent<typeof WorkSucceeded.Schema> {
  return {
    key: item.key,
    value: {
      itemId: item.itemId,
      key: item.key,
      type: item.type,
      batchId: item.batchId,
      attempt: item.attempt,
      correlationId: item.correlationId,
      createdAt: item.createdAt,
      completedAt: completedAt.toISOString(),
      durationMs,
      result,
      history: item.history,
      source,
      replayId: item.replay?.replayId,
    },
    headers: outcomeHeaders(item),
  };
}

export function failedEvent(
  item: WorkItem.Value,
  failure: Failure,
  source: SourcePosition,
  durationMs: number,
  failedAt: Date,
): OutgoingEvent<typeof WorkFailed.Schema> {
  return {
    key: item.key,
    value: { item, failure, failedAt: failedAt.toISOString(), durationMs, source },
    headers: outcomeHeaders(item, failure.type),
  };
}
