import type { KafkaMessage } from 'kafkajs';
import { HEADERS, IngestRejected } from '@workpipe/contracts';
import type { OutgoingEvent } from './produce/outgoing-event';

/**
 * Most raw key and value bytes kept in an `IngestRejected` event. base64 adds a
 * third, and the event must fit the broker's 1 MiB `message.max.bytes`, or the
 * rejection itself could never be published and the consumer would stall.
 */
export const MAX_REJECTED_RAW_BYTES = 600 * 1024;

/** `IngestRejected.reason` is at most this long. */
const MAX_REASON_LENGTH = 2000;

export interface Rejection {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** The message's headers as strings. */
  headers: Record<string, string>;
  reason: string;
  correlationId: string;
  /** Set when the item id was known (mapped) before the submission refused it. */
  itemId?: string;
}

/**
 * The `IngestRejected` event of a source message, with its original bytes
 * (base64) and coordinates, keyed by source topic and partition so one
 * partition's rejections stay in order.
 */
export function ingestRejectedEvent(rejection: Rejection, now: Date): OutgoingEvent<typeof IngestRejected.Schema> {
  const { topic, partition, message } = rejection;
  const key = message.key ?? null;
  const value = message.value ?? null;
  let reason = rejection.reason;
  let keepValue = true;
  if ((key?.length ?? 0) + (value?.length ?? 0) > MAX_REJECTED_RAW_BYTES) {
    keepValue = false;
    const where = `${topic} partition ${partition} offset ${message.offset}`;
    reason = `${reason} [value of ${value?.length ?? 0} bytes not kept: too large; read it from ${where}]`;
  }
  const keepKey = (key?.length ?? 0) <= MAX_REJECTED_RAW_BYTES;
  const event: IngestRejected.Value = {
    sourceTopic: topic,
    partition,
    offset: message.offset,
    keyBase64: key && keepKey ? key.toString('base64') : null,
    valueBase64: value && keepValue ? value.toString('base64') : null,
    headers: rejection.headers,
    reason: truncate(reason, MAX_REASON_LENGTH),
    rejectedAt: now.toISOString(),
  };
  return {
    key: `${topic}:${partition}`,
    value: event,
    headers: { [HEADERS.correlationId]: rejection.correlationId, [HEADERS.itemId]: rejection.itemId },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
