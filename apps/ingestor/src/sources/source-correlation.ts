import { HEADERS } from '@workpipe/contracts';

/** Longest correlation id a work item carries (`WorkItem.correlationId`). */
export const MAX_CORRELATION_ID_LENGTH = 200;

/** What the HTTP API accepts as a caller's correlation id; anything else is replaced, never passed on. */
const ACCEPTABLE_CORRELATION_ID = /^[\w.:@/-]{1,200}$/;

interface HeaderedMessage {
  offset: string;
  headers: Record<string, string>;
}

/** A message's correlation id: its `x-correlation-id` header if usable, else `topic:partition:offset`. */
export function messageCorrelationId(topic: string, partition: number, message: HeaderedMessage): string {
  const given = message.headers[HEADERS.correlationId];
  if (given !== undefined && ACCEPTABLE_CORRELATION_ID.test(given)) return given;
  return fit(`${topic}:${partition}:${message.offset}`);
}

/** Keeps the end (partition and offsets) of an id built from a very long topic name. */
function fit(id: string): string {
  return id.length <= MAX_CORRELATION_ID_LENGTH ? id : id.slice(-MAX_CORRELATION_ID_LENGTH);
}
