import {
  HEADERS,
  type Failure,
  type SourcePosition,
  WorkFailed,
  type WorkItem,
  type WorkSucceeded,
} from '@workpipe/contracts';
import { output, type MessagePosition, type Output, type OutgoingEvent } from '@workpipe/kafka';

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
      historyDropped: item.historyDropped,
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

/**
 * The outcome of an attempt whose own outcome cannot be produced (a summary
 * over the topic's size limit, or one that cannot be serialised): a
 * PROCESSING_ERROR failure saying why, with no summary at all. The retry
 * policy decides as for any PROCESSING_ERROR (2 attempts by default).
 */
export function unpublishableOutcome(failedTopic: string, item: WorkItem.Value, position: MessagePosition, error: Error): Output {
  const failure: Failure = {
    type: 'PROCESSING_ERROR',
    message: `the attempt's outcome cannot be produced: ${error.message}`.slice(0, 2000),
    code: 'OUTCOME_UNPUBLISHABLE',
    retryable: true,
  };
  const source: SourcePosition = { topic: position.topic, partition: position.partition, offset: position.offset };
  return output(failedTopic, WorkFailed, failedEvent(item, failure, source, 0, new Date()));
}
