import type { DeadLetterFilter } from './dead-letter-filter';
import { describeFilter } from './dead-letter-filter';
import { positionKey, type DeadLetter } from './dead-letter';
import { describeRanges, type PartitionRange } from './offset-range';
import type { ReplaySelection } from './replay-record';

/** The stored ranges as bigints. */
export function selectionRanges(selection: ReplaySelection): PartitionRange[] {
  return selection.ranges.map(({ partition, from, to }) => ({ partition, from: BigInt(from), to: BigInt(to) }));
}

/** The stored filter as a {@link DeadLetterFilter}. */
export function selectionFilter(selection: ReplaySelection): DeadLetterFilter {
  const { types, reasons, since, until } = selection.filter;
  return {
    types,
    reasons,
    ...(since === undefined ? {} : { sinceMs: Date.parse(since) }),
    ...(until === undefined ? {} : { untilMs: Date.parse(until) }),
  };
}

/** Ranges and filter in the stored form. */
export function storedSelection(input: {
  origin: ReplaySelection['origin'];
  topic: string;
  ranges: readonly PartitionRange[];
  filter: DeadLetterFilter;
  only?: readonly string[];
  asked: string;
}): ReplaySelection {
  const { filter } = input;
  return {
    origin: input.origin,
    topic: input.topic,
    ranges: input.ranges.map(({ partition, from, to }) => ({ partition, from: from.toString(), to: to.toString() })),
    filter: {
      types: [...filter.types],
      reasons: [...filter.reasons],
      ...(filter.sinceMs === undefined ? {} : { since: new Date(filter.sinceMs).toISOString() }),
      ...(filter.untilMs === undefined ? {} : { until: new Date(filter.untilMs).toISOString() }),
    },
    ...(input.only === undefined ? {} : { only: [...input.only] }),
    asked: input.asked,
  };
}

/** The smallest ranges holding exactly these dead letters (one per partition): what `retry-failures` stores. */
export function rangesCovering(deadLetters: readonly DeadLetter[]): PartitionRange[] {
  const byPartition = new Map<number, PartitionRange>();
  for (const { position } of deadLetters) {
    const offset = BigInt(position.offset);
    const range = byPartition.get(position.partition);
    if (!range) byPartition.set(position.partition, { partition: position.partition, from: offset, to: offset });
    else byPartition.set(position.partition, { partition: position.partition, from: offset < range.from ? offset : range.from, to: offset > range.to ? offset : range.to });
  }
  return [...byPartition.values()].sort((a, b) => a.partition - b.partition);
}

/** `t.work.abandoned, partition 1 offsets 3-4, last failure API_ERROR` */
export function describeSelection(selection: ReplaySelection): string {
  if (selection.only !== undefined) {
    return `${selection.topic}, ${selection.only.length} dead ${selection.only.length === 1 ? 'letter' : 'letters'} chosen by retry-failures`;
  }
  const filter = describeFilter(selectionFilter(selection));
  return `${selection.topic}, ${describeRanges(selectionRanges(selection))}${filter ? `, ${filter}` : ''}`;
}

/** Position keys of the dead letters. */
export function positionKeys(deadLetters: readonly DeadLetter[]): string[] {
  return deadLetters.map((deadLetter) => positionKey(deadLetter.position));
}
