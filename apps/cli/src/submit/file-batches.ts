import type { FileRecord, ItemCandidate } from './item-candidate';

/** An item to send and the file line it came from. */
export interface LineItem {
  line: number;
  submission: ItemCandidate;
}

/** A line that could not be read as an item, and why. */
export interface UnreadableLine {
  line: number;
  reason: string;
}

/** One request's worth of items, in file order. */
export interface FileBatch {
  /** 1 for the first batch of the file. */
  number: number;
  /** At most the batch size; empty only for a last batch of unreadable lines. */
  items: LineItem[];
  /** Lines that could not be read, met while this batch was filled; never sent. */
  unreadable: UnreadableLine[];
}

/**
 * Groups a file's records into batches of `batchSize` items, pulling only as
 * many records as one batch needs (so a large file is never held in memory).
 * Unreadable lines ride along with the batch being filled, so results can be
 * reported in file order.
 */
export async function* batchRecords(records: AsyncIterable<FileRecord>, batchSize: number): AsyncGenerator<FileBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  let number = 1;
  let current: FileBatch = { number, items: [], unreadable: [] };
  for await (const record of records) {
    if (record.error !== undefined) {
      current.unreadable.push({ line: record.line, reason: record.error });
      continue;
    }
    current.items.push({ line: record.line, submission: record.submission });
    if (current.items.length === batchSize) {
      yield current;
      number += 1;
      current = { number, items: [], unreadable: [] };
    }
  }
  if (current.items.length > 0 || current.unreadable.length > 0) yield current;
}
