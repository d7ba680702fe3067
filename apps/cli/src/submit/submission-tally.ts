import type { LineOutcomes, RejectedLine } from './line-outcomes';

/** Rejected lines shown in the summary; all of them go to `--rejected-out`. */
export const SUMMARY_REJECTED_LINES = 20;

/** Running totals of a file's submission, fed one batch at a time. */
export class SubmissionTally {
  /** Records read: items plus unreadable lines. */
  linesRead = 0;
  /** Items sent to the ingestor (each once, however many attempts it took). */
  sent = 0;
  /** Requests answered. */
  requests = 0;
  accepted = 0;
  rejected = 0;
  duplicates = 0;
  /** Duplicates the ingestor reported as still being published by an earlier attempt. */
  inFlight = 0;
  /** Last line of the last batch fully answered: everything up to it is settled. */
  settledThroughLine = 0;
  /** The first rejected lines by line number, at most {@link SUMMARY_REJECTED_LINES}. */
  readonly firstRejected: RejectedLine[] = [];

  constructor(private readonly keepRejected = SUMMARY_REJECTED_LINES) {}

  add(outcomes: LineOutcomes, sent: number): void {
    const { accepted, rejected, duplicates } = outcomes;
    this.linesRead += accepted.length + rejected.length + duplicates.length;
    this.sent += sent;
    if (sent > 0) this.requests += 1;
    this.accepted += accepted.length;
    this.rejected += rejected.length;
    this.duplicates += duplicates.length;
    this.inFlight += duplicates.filter((duplicate) => duplicate.reason === 'IN_FLIGHT').length;
    const lines = [...accepted, ...rejected, ...duplicates].map((outcome) => outcome.line);
    if (lines.length > 0) this.settledThroughLine = Math.max(this.settledThroughLine, ...lines);
    // Unreadable lines are known before the items around them are answered, so keep by line, not by arrival.
    if (rejected.length > 0) {
      this.firstRejected.push(...rejected);
      this.firstRejected.sort((a, b) => a.line - b.line);
      this.firstRejected.splice(this.keepRejected);
    }
  }
}
