import type { SubmissionResult } from '@workpipe/contracts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error';
import type { FileBatch } from './file-batches';

/** An item's fate, by file line. */
export interface AcceptedLine {
  line: number;
  itemId: string;
}
export interface RejectedLine {
  line: number;
  itemId?: string;
  reason: string;
}
export interface DuplicateLine {
  line: number;
  itemId: string;
  /** `DUPLICATE_IN_REQUEST`, `ALREADY_ACCEPTED` or `IN_FLIGHT`. */
  reason: string;
}

/** What happened to every line of one batch, each list in line order. */
export interface LineOutcomes {
  accepted: AcceptedLine[];
  /** Unreadable lines and items the ingestor rejected. */
  rejected: RejectedLine[];
  duplicates: DuplicateLine[];
}

/**
 * Maps the ingestor's per-index verdicts back to file lines (index i of the
 * request is `batch.items[i]`), and adds the batch's unreadable lines as
 * rejected. Pass no result for a batch that was not sent (only unreadable lines).
 *
 * @throws UnexpectedResponseError when the answer does not account for each item exactly once
 */
export function toLineOutcomes(batch: FileBatch, result: SubmissionResult | undefined): LineOutcomes {
  const outcomes: LineOutcomes = {
    accepted: [],
    rejected: batch.unreadable.map(({ line, reason }) => ({ line, reason })),
    duplicates: [],
  };
  if (result) {
    const seen = new Set<number>();
    const lineOf = (index: number): number => {
      const item = batch.items[index];
      if (!item || seen.has(index)) {
        throw new UnexpectedResponseError(
          `the ingestor's answer for batch ${batch.number} names item index ${index} ${item ? 'twice' : 'which was not sent'}`,
        );
      }
      seen.add(index);
      return item.line;
    };
    for (const { index, itemId } of result.accepted) outcomes.accepted.push({ line: lineOf(index), itemId });
    for (const { index, itemId, reason } of result.rejected) {
      outcomes.rejected.push({ line: lineOf(index), ...(itemId === undefined ? {} : { itemId }), reason });
    }
    for (const { index, itemId, reason } of result.duplicates) outcomes.duplicates.push({ line: lineOf(index), itemId, reason });
    if (seen.size !== batch.items.length) {
      throw new UnexpectedResponseError(
        `the ingestor's answer for batch ${batch.number} covers ${seen.size} of its ${batch.items.length} items`,
      );
    }
  } else if (batch.items.length > 0) {
    throw new RangeError(`batch ${batch.number} has items but no result`);
  }
  const byLine = (a: { line: number }, b: { line: number }): number => a.line - b.line;
  outcomes.accepted.sort(byLine);
  outcomes.rejected.sort(byLine);
  outcomes.duplicates.sort(byLine);
  return outcomes;
}
