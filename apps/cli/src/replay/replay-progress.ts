import { Presets, SingleBar } from 'cli-progress';
import type { OutputStream } from '../cli-io';

/** How a running replay shows its progress on stderr. */
export interface ReplayProgress {
  /** @param total dead letters this run will try to republish */
  start(total: number): void;
  /** After each chunk: running totals of this run. */
  update(done: { republished: number; alreadyReplayed: number }): void;
  /** Ends the display (idempotent); call before writing anything else to stderr. */
  stop(): void;
}

/** A live bar on a terminal, one line per chunk otherwise. */
export function replayProgress(stream: OutputStream, now: () => number): ReplayProgress {
  return stream.isTTY ? new TtyReplayBar(stream, now) : new PlainReplayLog(stream, now);
}

function perSecond(count: number, startedAt: number, now: number): number {
  const seconds = (now - startedAt) / 1000;
  return seconds > 0 ? Math.round((count / seconds) * 10) / 10 : 0;
}

/** Without a terminal (CI, a pipe): a plain line per chunk, nothing redrawn. */
class PlainReplayLog implements ReplayProgress {
  private total = 0;
  private startedAt = 0;

  constructor(
    private readonly out: OutputStream,
    private readonly now: () => number,
  ) {}

  start(total: number): void {
    this.total = total;
    this.startedAt = this.now();
  }

  update({ republished, alreadyReplayed }: { republished: number; alreadyReplayed: number }): void {
    this.out.write(
      `republished ${republished} of ${this.total}` +
        (alreadyReplayed > 0 ? ` (already replayed ${alreadyReplayed})` : '') +
        ` | ${perSecond(republished, this.startedAt, this.now())} items/s\n`,
    );
  }

  stop(): void {}
}

const FORMAT = '{bar} {percentage}% | {value}/{total} dead letters | {rate} items/s | ETA {eta_formatted} | already replayed {already}';

/** On a terminal: one live bar of dead letters handled against the total, with rate and ETA. */
class TtyReplayBar implements ReplayProgress {
  private readonly bar: SingleBar;
  private startedAt = 0;
  private running = false;

  constructor(
    stream: OutputStream,
    private readonly now: () => number,
  ) {
    this.bar = new SingleBar(
      { format: FORMAT, stream: stream as NodeJS.WritableStream, hideCursor: false, etaBuffer: 20, fps: 5 },
      Presets.shades_classic,
    );
  }

  start(total: number): void {
    this.startedAt = this.now();
    this.running = true;
    this.bar.start(Math.max(total, 1), 0, { rate: 0, already: 0 });
  }

  update({ republished, alreadyReplayed }: { republished: number; alreadyReplayed: number }): void {
    this.bar.update(republished + alreadyReplayed, {
      rate: perSecond(republished, this.startedAt, this.now()),
      already: alreadyReplayed,
    });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.bar.stop();
  }
}
