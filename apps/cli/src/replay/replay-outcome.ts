/** What Kafka says about one replayed item, under one replay id. */
export interface ItemOutcomeFacts {
  /** Items with a `WorkSucceeded` carrying the replay id. */
  succeeded: ReadonlySet<string>;
  /** Items with a new `WorkAbandoned` whose `item.replay.replayId` is the replay id, with its last failure. */
  abandoned: ReadonlyMap<string, { type: string; message: string; reason: string }>;
}

/** The outcome of a replay: every republished item is in exactly one of the three groups. */
export interface ReplayOutcome {
  republished: number;
  recovered: number;
  stillFailing: number;
  pending: number;
  /** Item ids still failing, with the last failure, sorted by item id. */
  failing: { itemId: string; type: string; message: string; reason: string }[];
  /** Item ids with no outcome yet, sorted. */
  waiting: string[];
}

/**
 * Sorts the replayed items by what happened to them. A success wins over an
 * abandonment (an item is only republished once per replay, so both can only
 * mean the success came last). Each item counts once however often it was listed.
 */
export function tallyOutcome(replayedItemIds: Iterable<string>, facts: ItemOutcomeFacts): ReplayOutcome {
  const items = [...new Set(replayedItemIds)].sort();
  const outcome: ReplayOutcome = { republished: items.length, recovered: 0, stillFailing: 0, pending: 0, failing: [], waiting: [] };
  for (const itemId of items) {
    const abandoned = facts.abandoned.get(itemId);
    if (facts.succeeded.has(itemId)) {
      outcome.recovered += 1;
    } else if (abandoned) {
      outcome.stillFailing += 1;
      outcome.failing.push({ itemId, ...abandoned });
    } else {
      outcome.pending += 1;
      outcome.waiting.push(itemId);
    }
  }
  return outcome;
}
