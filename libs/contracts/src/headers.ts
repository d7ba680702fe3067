/**
 * Kafka header names, readable in Kafka UI and kcat. Values are UTF-8 strings.
 * They duplicate a few fields of the value so operators can filter without decoding.
 */
export const HEADERS = {
  itemId: 'x-item-id',
  batchId: 'x-batch-id',
  attempt: 'x-attempt',
  failureType: 'x-failure-type',
  correlationId: 'x-correlation-id',
  /** Epoch milliseconds at which a delayed retry is due. */
  dueAt: 'x-due-at',
  /** The event type carried by the message, e.g. `WorkFailed`. */
  eventType: 'x-event-type',
  /** Replay that produced this work item, if any. */
  replayId: 'x-replay-id',
} as const;

export type HeaderName = (typeof HEADERS)[keyof typeof HEADERS];
