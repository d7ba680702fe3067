import type { SubmissionTally } from './submission-tally';

export interface SummaryInput {
  /** The file as the operator named it. */
  file: string;
  batchId: string;
  tally: SubmissionTally;
  /** Why the run stopped before the end of the file, if it did. */
  stoppedBecause?: string;
  /** Where all rejected lines were written (`--rejected-out`), if asked. */
  rejectedOut?: string;
}

/** The end-of-run report printed on stdout; plain text, stable enough to grep. */
export function formatSummary({ file, batchId, tally, stoppedBecause, rejectedOut }: SummaryInput): string {
  const width = String(Math.max(tally.accepted, tally.rejected, tally.duplicates)).length;
  const count = (value: number): string => String(value).padStart(width);
  const lines = [
    `${stoppedBecause ? 'Stopped submitting' : 'Submitted'} ${file} as batch ${batchId}: ` +
      `${tally.linesRead} ${plural(tally.linesRead, 'line')} read, ${tally.sent} ${plural(tally.sent, 'item')} sent in ` +
      `${tally.requests} ${plural(tally.requests, 'request')}`,
    `  accepted    ${count(tally.accepted)}`,
    `  rejected    ${count(tally.rejected)}`,
    `  duplicates  ${count(tally.duplicates)}`,
  ];
  if (tally.rejected > 0) {
    const shown = tally.firstRejected;
    lines.push(
      '',
      shown.length < tally.rejected
        ? `First ${shown.length} of ${tally.rejected} rejected lines:`
        : `Rejected ${plural(tally.rejected, 'line')}:`,
    );
    const lineWidth = String(shown.at(-1)?.line ?? 0).length;
    for (const rejected of shown) {
      const id = rejected.itemId ? ` [${rejected.itemId}]` : '';
      lines.push(`  line ${String(rejected.line).padStart(lineWidth)}${id}: ${rejected.reason}`);
    }
    if (rejectedOut) lines.push(`All rejected lines are in ${rejectedOut}.`);
    else if (shown.length < tally.rejected) lines.push('Use --rejected-out FILE to get all of them as CSV.');
  }
  if (tally.inFlight > 0) {
    lines.push(
      '',
      `${tally.inFlight} of the duplicates were still being published by an earlier attempt (IN_FLIGHT): ` +
        'run the same command again in a minute to confirm they were accepted.',
    );
  }
  if (stoppedBecause) {
    lines.push(
      '',
      `Stopped early: ${stoppedBecause}.`,
      `Accepted so far: ${tally.accepted} ${plural(tally.accepted, 'item')}` +
        (tally.settledThroughLine > 0 ? ` (lines up to ${tally.settledThroughLine} are settled).` : '.'),
      'Re-running the same command is safe: items already accepted are reported as duplicates, not submitted twice' +
        ` (add --batch-id ${batchId} to keep this batch id).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
