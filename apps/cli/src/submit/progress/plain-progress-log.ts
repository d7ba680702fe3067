import type { OutputStream } from '../../cli-io';
import type { RetryNotice } from '../batch-sender';
import type { FileBatch } from '../file-batches';
import type { SubmissionTally } from '../submission-tally';
import { itemsPerSecond, lineRange, type SubmitProgress } from './submit-progress';

/** Without a terminal (CI, a pipe): one plain line per batch and per retry, nothing redrawn. */
export class PlainProgressLog implements SubmitProgress {
  private startedAt = 0;
  private expected: number | undefined;
  private previous = { accepted: 0, rejected: 0, duplicates: 0 };

  constructor(
    private readonly out: OutputStream,
    private readonly now: () => number,
  ) {}

  start(expectedItems: number | undefined): void {
    this.startedAt = this.now();
    this.expected = expectedItems;
  }

  batchDone(batch: FileBatch, tally: SubmissionTally): void {
    const accepted = tally.accepted - this.previous.accepted;
    const rejected = tally.rejected - this.previous.rejected;
    const duplicates = tally.duplicates - this.previous.duplicates;
    this.previous = { accepted: tally.accepted, rejected: tally.rejected, duplicates: tally.duplicates };
    const of = this.expected === undefined ? '' : `/~${Math.max(this.expected, tally.sent)}`;
    this.out.write(
      `batch ${batch.number} (${lineRange(batch)}): ${batch.items.length} sent, ${accepted} accepted, ` +
        `${rejected} rejected, ${duplicates} duplicates | ${tally.sent}${of} items sent, ` +
        `${itemsPerSecond(tally.sent, this.startedAt, this.now())} items/s\n`,
    );
  }

  retrying(batch: FileBatch, notice: RetryNotice): void {
    this.out.write(
      `batch ${batch.number}: ${notice.reason}; retrying in ${(notice.delayMs / 1000).toFixed(1)} s ` +
        `(attempt ${notice.attempt + 1} of ${notice.maxAttempts})\n`,
    );
  }

  stop(): void {}
}
