import { applyFilter, type DeadLetterFilter } from './dead-letter-filter';
import { comparePositions, isLaterDeadLetter, positionKey, type DeadLetter } from './dead-letter';

/** The dead letters of the read ranges a replay takes, and what it leaves out. */
export interface DeadLetterSelection {
  /** To replay, in position order (partition, then offset). */
  selected: DeadLetter[];
  /** Did not match `--type`, `--reason`, `--since/--until`. */
  skippedByFilter: number;
  /**
   * Matched, but a later dead letter of the same item is selected too: replaying
   * both would run the item twice, so only the latest one goes.
   */
  superseded: DeadLetter[];
}

/**
 * Applies the filter and, when given, the list of positions a stored selection
 * is limited to (`retry-failures` records exactly which dead letters it picked),
 * then keeps one dead letter per item. Pure and deterministic, so `--continue`
 * selects exactly what the first run selected.
 *
 * @param only position keys (`topic:partition:offset`) to keep; others count as skipped by filter
 */
export function selectDeadLetters(
  deadLetters: readonly DeadLetter[],
  filter: DeadLetterFilter,
  only?: ReadonlySet<string>,
): DeadLetterSelection {
  let skippedByFilter = 0;
  const latest = new Map<string, DeadLetter>();
  const superseded: DeadLetter[] = [];
  for (const deadLetter of deadLetters) {
    if ((only && !only.has(positionKey(deadLetter.position))) || applyFilter(deadLetter.value, filter) !== 'match') {
      skippedByFilter += 1;
      continue;
    }
    const itemId = deadLetter.value.item.itemId;
    const current = latest.get(itemId);
    if (!current) {
      latest.set(itemId, deadLetter);
    } else if (isLaterDeadLetter(deadLetter, current)) {
      superseded.push(current);
      latest.set(itemId, deadLetter);
    } else {
      superseded.push(deadLetter);
    }
  }
  const byPosition = (a: DeadLetter, b: DeadLetter) => comparePositions(a.position, b.position);
  return { selected: [...latest.values()].sort(byPosition), skippedByFilter, superseded: superseded.sort(byPosition) };
}
