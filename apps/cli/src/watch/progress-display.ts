import { SingleBar } from 'cli-progress';
import type { OutputStream } from '../cli-io';
import type { OperationsApi } from '@workpipe/contracts';
import { ProgressRate } from './progress-rate';

const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);

/**
 * Renders batch progress: a live bar with rate and ETA on a terminal, else a
 * plain line at most every `plainIntervalMs` (and on completion).
 */
export class ProgressDisplay {
  private readonly rate = new ProgressRate();
  private bar?: SingleBar;
  private lastPlainAt = 0;

  constructor(
    private readonly out: OutputStream,
    private readonly now: () => number,
    private readonly plainIntervalMs = 2000,
  ) {}

  update(progress: OperationsApi.BatchProgress): void {
    const { submitted, succeeded, abandoned, pending } = progress.items;
    const total = Math.max(submitted, progress.expected ?? 0);
    const done = succeeded + abandoned;
    this.rate.add(this.now(), done);
    const perSecond = this.rate.perSecond();
    const eta = progress.complete ? 0 : this.rate.etaSeconds(total);
    const payload = {
      succeeded,
      abandoned,
      pending,
      retrying: progress.retryable,
      success: percent(progress.rates.success),
      speed: perSecond === undefined ? '-' : perSecond.toFixed(1),
      etaText: eta === undefined ? '-' : `${Math.ceil(eta)}s`,
    };
    if (this.out.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            format:
              '{bar} {percentage}% | {value}/{total} done | ok {succeeded}, abandoned {abandoned}, retrying {retrying} | success {success} | {speed} items/s | ETA {etaText}',
            stream: this.out as NodeJS.WritableStream,
            hideCursor: true,
            barsize: 24,
          },
        );
        this.bar.start(total, done, payload);
      }
      this.bar.setTotal(total);
      this.bar.update(done, payload);
      return;
    }
    const at = this.now();
    if (progress.complete || at - this.lastPlainAt >= this.plainIntervalMs) {
      this.lastPlainAt = at;
      this.out.write(
        `${done}/${total} done: ${succeeded} succeeded, ${abandoned} abandoned, ${pending} pending (${progress.retryable} waiting for a retry), ` +
          `success ${payload.success}, ${payload.speed} items/s, ETA ${payload.etaText}\n`,
      );
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
