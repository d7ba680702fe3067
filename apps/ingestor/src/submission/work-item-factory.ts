import { HEADERS, type WorkItem } from '@workpipe/contracts';
import type { OutgoingEvent } from '@workpipe/kafka';
import type { ValidItem } from './submission-validator';

/** A first attempt of a freshly accepted item, ready to publish to the work topic. */
export function newWorkItemEvent(
  item: ValidItem,
  correlationId: string,
  now: Date,
): OutgoingEvent<typeof WorkItem.Schema> {
  const value: WorkItem.Value = {
    itemId: item.itemId,
    key: item.submission.key,
    type: item.submission.type,
    batchId: item.submission.batchId,
    payload: item.submission.payload,
    attempt: 1,
    createdAt: now.toISOString(),
    correlationId,
    history: [],
  };
  return {
    key: value.key,
    value,
    headers: {
      [HEADERS.itemId]: value.itemId,
      [HEADERS.batchId]: value.batchId,
      [HEADERS.attempt]: value.attempt,
      [HEADERS.correlationId]: correlationId,
    },
  };
}
