import type { PartitionRange } from '../selection/offset-range';

/** Delivered offsets remembered per range to check a fetch against: more than any chunk a handler gets. */
const RECENT_DELIVERIES = 8192;

/** What kafkajs said about one fetched batch: offsets `first` to `last` (control records included) hold `dataCount` messages. */
interface FetchedBatch {
  first: bigint;
  last: bigint;
  dataCount: number;
  /** Messages in `first..last` delivered so far. */
  seen: number;
}

interface RangeState {
  range: PartitionRange;
  /** Offset after the last delivered message of the range's partition (from `range.from`). */
  next: bigint;
  /** The last delivered offsets (only those in the range), oldest first. */
  recent: bigint[];
  /** Batches that reached the range's end, newest last (a few). */
  ends: FetchedBatch[];
  reached: boolean;
}

/**
 * When a read of inclusive offset ranges is done, from what its handler is
 * delivered and what the consumer fetched. Pure: no Kafka, no timers.
 *
 * A range is read when a message at or past its last offset was delivered, or
 * when a fetched batch covering its end is accounted for: the batch's data
 * messages were all delivered and nothing before the batch is missing. That
 * second rule is for ranges whose last offsets hold no message a consumer
 * sees: transaction markers (the last offset of a partition written in
 * transactions always is one) or aborted writes. kafkajs reports every fetched
 * batch, control-only ones included, with its first and last offset and its
 * number of data messages; a batch's contents are a fact of the log, so a
 * batch fetched before the seek to the range's start counts just as well.
 *
 * Example: range 0-5 of a partition whose offsets 4 and 5 are commit markers.
 * Messages 0-3 are delivered; a batch 4-5 with no data message arrives:
 * nothing is missing before 4 (next expected is 4), the batch has no data,
 * so the range is read.
 */
export class RangeProgress {
  private readonly states = new Map<number, RangeState>();

  constructor(ranges: readonly PartitionRange[]) {
    for (const range of ranges) {
      if (range.from > range.to) continue;
      this.states.set(range.partition, { range, next: range.from, recent: [], ends: [], reached: false });
    }
  }

  /** Every range is read. */
  get complete(): boolean {
    for (const state of this.states.values()) if (!state.reached) return false;
    return true;
  }

  /** The ranges' partitions. */
  get partitions(): number[] {
    return [...this.states.keys()];
  }

  /**
   * A message reached the handler. True when it is inside its partition's
   * range and new (to be handled); false when it is outside (another
   * partition, before the start, past the end) or delivered before.
   */
  deliver(partition: number, offset: bigint): boolean {
    const state = this.states.get(partition);
    if (!state || offset < state.next) return false;
    if (offset > state.range.to) {
      state.reached = true;
      return false;
    }
    state.next = offset + 1n;
    state.recent.push(offset);
    if (state.recent.length > RECENT_DELIVERIES) state.recent.splice(0, state.recent.length - RECENT_DELIVERIES);
    for (const batch of state.ends) if (offset >= batch.first && offset <= batch.last) batch.seen++;
    if (offset === state.range.to) state.reached = true;
    this.check(state);
    return true;
  }

  /** The consumer fetched a batch of the partition: offsets `first` to `last` with `dataCount` data messages. */
  fetched(partition: number, first: bigint, last: bigint, dataCount: number): void {
    const state = this.states.get(partition);
    if (!state || state.reached || last < state.range.to || first > last) return;
    const oldest = state.recent[0];
    // Deliveries before the batch was reported must still be known to count them.
    if (state.recent.length === RECENT_DELIVERIES && oldest !== undefined && oldest > first) return;
    const seen = state.recent.filter((offset) => offset >= first && offset <= last).length;
    state.ends.push({ first, last, dataCount, seen });
    if (state.ends.length > 4) state.ends.shift();
    this.check(state);
  }

  /** Where each unread range is: the next offset expected and the last one, for messages. */
  remaining(): { partition: number; next: bigint; to: bigint }[] {
    return [...this.states.values()].filter((state) => !state.reached).map((state) => ({ partition: state.range.partition, next: state.next, to: state.range.to }));
  }

  /** Where a (re)started consumer should resume each range's partition: after the last delivered message. */
  resumeOffset(partition: number): bigint | undefined {
    return this.states.get(partition)?.next;
  }

  private check(state: RangeState): void {
    if (state.reached) return;
    for (const batch of state.ends) {
      // Nothing is missing before the batch: it starts at or before the next offset expected.
      const contiguous = batch.first <= state.next;
      if (contiguous && batch.seen >= batch.dataCount) {
        state.reached = true;
        return;
      }
    }
  }
}
