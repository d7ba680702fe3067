import { HEADERS, type WorkItem } from '@workpipe/contracts';
import type { DeadLetter } from '../selection/dead-letter';

/**
 * The work item a replay republishes for a dead letter: the same item (same
 * `itemId`, `batchId`, `correlationId`, payload and key) as a FRESH attempt:
 * `attempt` 1 so its failure type's whole attempt budget applies again,
 * `deferrals` dropped, every earlier attempt kept in `history`, and `replay`
 * linking it to this replay and to the dead letter it came from.
 */
export function replayedWorkItem(deadLetter: DeadLetter, replayId: string, replayedAt: Date): WorkItem.Value {
  const { deferrals: _deferrals, replay: _previousReplay, ...item } = deadLetter.value.item;
  return {
    ...item,
    attempt: 1,
    history: deadLetter.value.item.history.map((record) => ({ ...record })),
    replay: {
      replayId,
      replayedAt: replayedAt.toISOString(),
      source: { ...deadLetter.position },
    },
  };
}

/** Headers of a replayed work item, as the ingestor and retrier set them, plus the replay id. */
export function replayedItemHeaders(item: WorkItem.Value): Record<string, string | number | undefined> {
  return {
    [HEADERS.itemId]: item.itemId,
    [HEADERS.batchId]: item.batchId,
    [HEADERS.attempt]: item.attempt,
    [HEADERS.correlationId]: item.correlationId,
    [HEADERS.replayId]: item.replay?.replayId,
  };
}
