/** A partition's offsets: `low` is the first one kept, `high` the next one to be written (the high watermark). */
export interface PartitionWatermarks {
  partition: number;
  low: bigint;
  high: bigint;
}

/** Offsets `from` to `to` of one partition, both included; never empty (`from <= to`). */
export interface PartitionRange {
  partition: number;
  from: bigint;
  to: bigint;
}

/** What the operator asked for, with `since`/`until` already turned into offsets by the broker's time index. */
export interface RangeRequest {
  /** Partitions; all of the topic's partitions when absent or empty. */
  partitions?: readonly number[];
  /** First offset, included; the partition's low watermark when absent. */
  fromOffset?: bigint;
  /** Last offset, included; the last offset present (high watermark - 1) when absent. */
  toOffset?: bigint;
  /** Per partition, the first offset whose timestamp is at or after `since` (less a margin). */
  sinceOffsets?: ReadonlyMap<number, bigint>;
  /** Per partition, the first offset whose timestamp is after `until` (plus a margin): the range ends before it. */
  untilOffsets?: ReadonlyMap<number, bigint>;
}

/** Requested partitions the topic does not have, sorted. */
export function unknownPartitions(request: RangeRequest, watermarks: readonly PartitionWatermarks[]): number[] {
  const known = new Set(watermarks.map((w) => w.partition));
  return [...new Set(request.partitions ?? [])].filter((p) => !known.has(p)).sort((a, b) => a - b);
}

/**
 * The inclusive offset range to read in each partition: the request clipped to
 * what the partition holds right now (so a replay stops at the high watermark
 * it saw when it started, whatever arrives later). Partitions with nothing in
 * range are left out; the result is sorted by partition.
 *
 * Example: partition 1 holds offsets 0-9 (low 0, high 10). `fromOffset 3,
 * toOffset 20` gives 3-9; `fromOffset 12` gives nothing.
 */
export function resolveRanges(request: RangeRequest, watermarks: readonly PartitionWatermarks[]): PartitionRange[] {
  const wanted = request.partitions && request.partitions.length > 0 ? new Set(request.partitions) : undefined;
  const ranges: PartitionRange[] = [];
  for (const { partition, low, high } of [...watermarks].sort((a, b) => a.partition - b.partition)) {
    if (wanted && !wanted.has(partition)) continue;
    let from = low;
    let to = high - 1n;
    if (request.fromOffset !== undefined) from = max(from, request.fromOffset);
    if (request.toOffset !== undefined) to = min(to, request.toOffset);
    const since = request.sinceOffsets?.get(partition);
    if (since !== undefined) from = max(from, since);
    const until = request.untilOffsets?.get(partition);
    if (until !== undefined) to = min(to, until - 1n);
    if (from <= to) ranges.push({ partition, from, to });
  }
  return ranges;
}

/** Offsets in the ranges (an upper bound on the messages: a range may have gaps). */
export function offsetCount(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((sum, range) => sum + Number(range.to - range.from + 1n), 0);
}

/** `partition 1 offsets 3-9, partition 2 offset 4`, for summaries. */
export function describeRanges(ranges: readonly PartitionRange[]): string {
  if (ranges.length === 0) return 'no offsets';
  return ranges
    .map(({ partition, from, to }) => `partition ${partition} offset${from === to ? ` ${from}` : `s ${from}-${to}`}`)
    .join(', ');
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
