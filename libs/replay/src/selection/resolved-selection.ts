import type { OperationsApi } from '@workpipe/contracts';
import { describeFilter, type DeadLetterFilter } from './dead-letter-filter';
import { describeRanges, type PartitionRange } from './offset-range';

type ResolvedSelection = OperationsApi.ResolvedSelection;

/** The stored ranges as bigints. */
export function selectionRanges(selection: ResolvedSelection): PartitionRange[] {
  return selection.ranges.map(({ partition, from, to }) => ({ partition, from: BigInt(from), to: BigInt(to) }));
}

/** The stored filter as a {@link DeadLetterFilter}. */
export function selectionFilter(selection: ResolvedSelection): DeadLetterFilter {
  const { types, reasons, since, until, batchIds, itemIds } = selection.filter;
  return {
    types,
    reasons,
    ...(since === undefined ? {} : { sinceMs: Date.parse(since) }),
    ...(until === undefined ? {} : { untilMs: Date.parse(until) }),
    ...(batchIds === undefined ? {} : { batchIds }),
    ...(itemIds === undefined ? {} : { itemIds }),
  };
}

/** Ranges and filter in the stored form. */
export function resolvedSelection(input: {
  origin: ResolvedSelection['origin'];
  topic: string;
  ranges: readonly PartitionRange[];
  filter: DeadLetterFilter;
  max?: number;
  asked: string;
}): ResolvedSelection {
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
      ...(filter.batchIds === undefined || filter.batchIds.length === 0 ? {} : { batchIds: [...filter.batchIds] }),
      ...(filter.itemIds === undefined || filter.itemIds.length === 0 ? {} : { itemIds: [...filter.itemIds] }),
    },
    ...(input.max === undefined ? {} : { max: input.max }),
    asked: input.asked,
  };
}

/**
 * `t.work.abandoned, partition 1 offsets 3-4, last failure API_ERROR`; for
 * retry-failures `t.work.abandoned, every item still worth retrying (at most 10)`.
 */
export function describeSelection(selection: ResolvedSelection): string {
  if (selection.origin === 'retry-failures') {
    const types = selection.filter.types.length > 0 ? `, last failure ${selection.filter.types.join(' or ')}` : '';
    return `${selection.topic}, every item still worth retrying${types}${selection.max === undefined ? '' : ` (at most ${selection.max})`}`;
  }
  const filter = describeFilter(selectionFilter(selection));
  return `${selection.topic}, ${describeRanges(selectionRanges(selection))}${filter ? `, ${filter}` : ''}`;
}
