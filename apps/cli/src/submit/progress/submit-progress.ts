import type { RetryNotice } from '../batch-sender';
import type { FileBatch } from '../file-batches';
import type { SubmissionTally } from '../submission-tally';

/** How a running submission shows its progress on stderr. */
export interface SubmitProgress {
  /** @param expectedItems items the file probably holds (from its line count), if known */
  start(expectedItems: number | undefined): void;
  /** A batch was answered (or held only unreadable lines); `tally` already includes it. */
  batchDone(batch: FileBatch, tally: SubmissionTally): void;
  /** A batch failed transiently and will be sent again after `notice.delayMs`. */
  retrying(batch: FileBatch, notice: RetryNotice): void;
  /**
   * Ends the display (idempotent); call before writing anything else to stderr.
   * @param completed true when the whole file was submitted (the bar ends at 100 %)
   */
  stop(completed?: boolean): void;
}

/** Items per second since `startedAt`, for display. */
export function itemsPerSecond(items: number, startedAt: number, now: number): number {
  const seconds = (now - startedAt) / 1000;
  return seconds > 0 ? Math.round(items / seconds) : 0;
}

/** `lines 501-1000`, or `line 7` for a batch of one line. */
export function lineRange(batch: FileBatch): string {
  const lines = [...batch.items.map((item) => item.line), ...batch.unreadable.map((line) => line.line)];
  if (lines.length === 0) return 'no lines';
  const first = Math.min(...lines);
  const last = Math.max(...lines);
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}
