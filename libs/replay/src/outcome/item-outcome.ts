/** What became of one republished item under one replay: `p` pending, `r` recovered, `f` failed again. */
export type ItemOutcome = 'p' | 'r' | 'f';

/** An outcome event of a replayed item: a success or a new abandonment carrying the replay id. */
export type OutcomeEvent = 'succeeded' | 'abandoned';

/**
 * The item's outcome after an event (the Lua script of `ReplayOutcomeStore`
 * is its Redis twin). A success wins over an abandonment: an item is
 * republished once per replay, so a success after an abandonment can only
 * mean the item came back (e.g. a later replay's success reported with this
 * id is impossible, but a duplicate delivery is not) and finally succeeded.
 * Repeated events change nothing.
 *
 * | before | succeeded | abandoned |
 * |--------|-----------|-----------|
 * | p      | r         | f         |
 * | f      | r         | f         |
 * | r      | r         | r         |
 */
export function nextOutcome(before: ItemOutcome, event: OutcomeEvent): ItemOutcome {
  if (before === 'r') return 'r';
  return event === 'succeeded' ? 'r' : 'f';
}

/** Recovered, failed again and pending from the counters: pending never below 0 (an outcome may be counted before its publish is). */
export function outcomeCounts(published: number, recovered: number, failedAgain: number): { published: number; recovered: number; failedAgain: number; pending: number } {
  return { published, recovered, failedAgain, pending: Math.max(0, published - recovered - failedAgain) };
}

/**
 * How far a run is: selected dead letters settled (republished by this run,
 * in an earlier run, or by another replay) of those selected. `fraction` is
 * null while the selection is still being read.
 */
export function runProgress(input: { selected: number | undefined; republished: number; earlier: number; alreadyReplayed: number; complete: boolean }): {
  done: number;
  total: number;
  fraction: number | null;
} {
  const done = input.republished + input.earlier + input.alreadyReplayed;
  if (input.selected === undefined) return { done, total: 0, fraction: null };
  if (input.selected === 0) return { done: 0, total: 0, fraction: input.complete ? 1 : 0 };
  return { done, total: input.selected, fraction: Math.min(1, done / input.selected) };
}
