import { Presets, SingleBar } from 'cli-progress';
import type { OutputStream } from '../../cli-io';
import type { RetryNotice } from '../batch-sender';
import type { FileBatch } from '../file-batches';
import type { SubmissionTally } from '../submission-tally';
import { itemsPerSecond, type SubmitProgress } from './submit-progress';

const FORMAT =
  '{bar} {percentage}% | {value}/{total} items | {rate} items/s | ETA {eta_formatted} | ' +
  'accepted {accepted}, rejected {rejected}, duplicates {duplicates}{status}';

/** On a terminal: one live bar of items sent against the items expected, with rate and ETA. */
export class TtyProgressBar implements SubmitProgress {
  private readonly bar: SingleBar;
  private startedAt = 0;
  private running = false;
  private sent = 0;

  constructor(
    stream: OutputStream,
    private readonly now: () => number,
  ) {
    this.bar = new SingleBar(
      { format: FORMAT, stream: stream as NodeJS.WritableStream, hideCursor: false, etaBuffer: 20, fps: 5 },
      Presets.shades_classic,
    );
  }

  start(expectedItems: number | undefined): void {
    this.startedAt = this.now();
    this.running = true;
    this.bar.start(Math.max(expectedItems ?? 0, 1), 0, {
      rate: 0,
      accepted: 0,
      rejected: 0,
      duplicates: 0,
      status: '',
    });
  }

  batchDone(_batch: FileBatch, tally: SubmissionTally): void {
    // The expected count is an estimate from the line count; never let the bar run past 100 %.
    this.sent = tally.sent;
    if (tally.sent > this.bar.getTotal()) this.bar.setTotal(tally.sent);
    this.bar.update(tally.sent, {
      rate: itemsPerSecond(tally.sent, this.startedAt, this.now()),
      accepted: tally.accepted,
      rejected: tally.rejected,
      duplicates: tally.duplicates,
      status: '',
    });
  }

  retrying(batch: FileBatch, notice: RetryNotice): void {
    this.bar.update({
      status: ` | batch ${batch.number}: ${shorten(notice.reason)}; retry ${notice.attempt + 1}/${notice.maxAttempts} in ${(notice.delayMs / 1000).toFixed(1)} s`,
    });
  }

  stop(completed = false): void {
    if (!this.running) return;
    this.running = false;
    if (completed && this.sent > 0) this.bar.setTotal(this.sent);
    this.bar.stop();
  }
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
