import type { OperationsApi } from '@workpipe/contracts';

/** Undecodable positions named in a summary; the count is always complete. */
export const MAX_UNDECODABLE_LISTED = 10;

/**
 * The counts of one pass over a selection, as it goes. Every dead letter read
 * lands in exactly one of: undecodable, skipped by filter (retry-failures: not
 * chosen), superseded, or selected; every selected one in exactly one of:
 * republished by this run, republished by an earlier run of this replay,
 * already replayed by another replay, or left (a trial's rest, a cancel).
 */
export class RunTally {
  read = 0;
  undecodable = 0;
  skippedByFilter = 0;
  superseded = 0;
  alreadyReplayed = 0;
  earlier = 0;
  republished = 0;
  readonly undecodablePositions: string[] = [];

  /** @param selected dead letters selected (one per item), known from the first pass */
  constructor(public selected: number) {}

  markUndecodable(position: string): void {
    this.undecodable++;
    if (this.undecodablePositions.length < MAX_UNDECODABLE_LISTED) this.undecodablePositions.push(position);
  }

  /** Selected dead letters not settled by this run: a trial's rest, what a cancel or an error left. */
  get remaining(): number {
    return Math.max(0, this.selected - this.republished - this.earlier - this.alreadyReplayed);
  }

  /** This run's counts (`republished`: this run's). */
  counts(): OperationsApi.ReplayCounts {
    return {
      read: this.read,
      selected: this.selected,
      republished: this.republished,
      alreadyReplayed: this.alreadyReplayed,
      skippedByFilter: this.skippedByFilter,
      superseded: this.superseded,
      undecodable: this.undecodable,
    };
  }
}
