import type { OperationsApi } from '@workpipe/contracts';

type ReplayCounts = OperationsApi.ReplayCounts;
type ReplayState = OperationsApi.ReplayState;
type ReplayOutcome = OperationsApi.ReplayOutcome;
type Origin = OperationsApi.ResolvedSelection['origin'];

/** The end of one run of `replay` (or the replay part of `retry-failures`). */
export interface ReplayRunSummary {
  replayId: string;
  state: ReplayState;
  /** `t.work.abandoned, partition 1 offsets 3-4, last failure API_ERROR` */
  selectionText: string;
  /** This run's counts; `republished` is this run's too. */
  counts: ReplayCounts;
  /** Republished by this replay over all its runs. */
  republishedTotal: number;
  /** Selected dead letters this replay had republished in an earlier run (`--continue`). */
  earlier: number;
  /** Selected dead letters left for `--continue` (after a trial). */
  remaining: number;
  /** Positions of dead letters that could not be decoded (the first few). */
  undecodable: string[];
  /** True when this run was a `--continue`. */
  continued: boolean;
  /** The command that created the replay: `retry-failures` says "not chosen" for what it left out. */
  origin: Origin;
}

/** The summary of a replay's latest run, from the stats service's view of it. */
export function summaryOf(view: OperationsApi.ReplayView): ReplayRunSummary {
  const { lastRun } = view;
  return {
    replayId: view.replayId,
    state: view.state,
    selectionText: view.selectionText,
    counts: lastRun.counts,
    republishedTotal: view.counts.republished,
    earlier: lastRun.earlier,
    remaining: lastRun.remaining,
    undecodable: lastRun.undecodable,
    continued: lastRun.run > 1,
    origin: view.selection.origin,
  };
}

const MAX_LISTED = 20;

/** The summary printed on stdout at the end of a replay run; plain text, stable enough to grep. */
export function formatReplaySummary(summary: ReplayRunSummary): string {
  const { counts } = summary;
  const rows: [string, number][] = [
    ['dead letters read', counts.read],
    ['selected', counts.selected],
    ['republished', counts.republished],
    ['already replayed', counts.alreadyReplayed],
    [leftOutLabel(summary.origin), counts.skippedByFilter],
  ];
  if (summary.continued) rows.splice(3, 0, ['replayed in earlier runs', summary.earlier]);
  if (counts.superseded > 0) rows.push(['superseded', counts.superseded]);
  if (counts.undecodable > 0) rows.push(['undecodable', counts.undecodable]);
  if (summary.remaining > 0) rows.push(['left for --continue', summary.remaining]);
  const lines = [
    `Replay ${summary.replayId} (${summary.state}): ${summary.selectionText}`,
    ...table(rows),
  ];
  if (counts.superseded > 0) {
    lines.push('Superseded: an item with several dead letters in the selection is replayed once, from its latest.');
  }
  if (counts.undecodable > 0) {
    lines.push(`Undecodable dead letters (left alone): ${summary.undecodable.join(', ')}${counts.undecodable > summary.undecodable.length ? ', ...' : ''}`);
  }
  if (counts.republished === 0 && counts.alreadyReplayed > 0 && summary.remaining === 0) {
    lines.push(`Nothing new to replay: ${counts.alreadyReplayed} selected dead ${plural(counts.alreadyReplayed, 'letter was', 'letters were')} already replayed.`);
  }
  if (summary.state === 'trial') {
    lines.push(
      `Trial done: ${counts.republished} republished, ${summary.remaining} left.`,
      `  Check the trial:  workpipe replay-status ${summary.replayId} --wait`,
      `  Replay the rest:  workpipe replay --continue ${summary.replayId}`,
    );
  } else if (summary.republishedTotal > 0) {
    lines.push(`Follow the outcome: workpipe replay-status ${summary.replayId} --wait`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `--dry-run` listing: what would be replayed, one dead letter a line. */
export function formatDryRun(result: OperationsApi.DryRunResult, options: { selectionText?: string; trial?: number } = {}): string {
  const { counts, rows } = result;
  const wouldReplay = counts.wouldReplay;
  const listed = options.trial === undefined ? wouldReplay : Math.min(wouldReplay, options.trial);
  const lines = [
    `Dry run of ${options.selectionText ?? result.selectionText}: ${listed} dead ${plural(listed, 'letter', 'letters')} would be replayed (nothing is published or recorded)`,
  ];
  if (rows.length > 0) lines.push(...deadLetterTable(rows));
  if (rows.length < listed) lines.push(`  ... and ${listed - rows.length} more (the stats service lists the first ${rows.length})`);
  lines.push(
    `dead letters read ${counts.read}, would replay ${listed}, already replayed ${counts.alreadyReplayed} (would be skipped), ` +
      `${leftOutLabel(result.origin)} ${counts.skippedByFilter}` +
      (counts.superseded > 0 ? `, superseded ${counts.superseded}` : '') +
      (counts.undecodable > 0 ? `, undecodable ${counts.undecodable}` : ''),
  );
  if (result.alreadyReplayed.length > 0) {
    lines.push(`Already replayed: ${result.alreadyReplayed.join(', ')}${counts.alreadyReplayed > result.alreadyReplayed.length ? ', ...' : ''}`);
  }
  if (options.trial !== undefined && listed < wouldReplay) {
    lines.push(`(--trial ${options.trial}: the first ${listed} of ${wouldReplay}; --continue would replay the rest)`);
  }
  return `${lines.join('\n')}\n`;
}

/** `PARTITION:OFFSET  ITEM  KEY  LAST FAILURE  REASON  ATTEMPTS  ABANDONED AT  MESSAGE` */
export function deadLetterTable(deadLetters: readonly OperationsApi.DeadLetterRow[]): string[] {
  const header = ['OFFSET', 'ITEM', 'KEY', 'LAST FAILURE', 'REASON', 'ATTEMPTS', 'ABANDONED AT', 'MESSAGE'];
  const rows = deadLetters.map((row) => [
    `${row.partition}:${row.offset}`,
    row.itemId,
    row.key,
    row.lastFailureType,
    row.reason,
    String(row.attempts),
    row.abandonedAt,
    shorten(row.message, 60),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const render = (cells: string[]) =>
    `  ${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ')}`.trimEnd();
  return [render(header), ...rows.map(render)];
}

/** `replay-status`: the replay and the outcome of its items. */
export function formatReplayStatus(view: OperationsApi.ReplayView, timedOut: boolean): string {
  const { counts, outcome } = view;
  const lines = [
    `Replay ${view.replayId}: ${view.state}, created ${view.createdAt}, ${view.runs} ${plural(view.runs, 'run', 'runs')}`,
    `  selection: ${view.selectionText}${view.selection.asked ? ` (${view.selection.asked})` : ''}`,
    `  republished ${outcome.published} of ${counts.selected} selected (already replayed: ${counts.alreadyReplayed}, ${leftOutLabel(view.selection.origin)}: ${counts.skippedByFilter})`,
    '',
    ...formatOutcomeLines(outcome),
  ];
  if (timedOut && outcome.pending > 0) lines.push(`Stopped waiting with ${outcome.pending} still pending.`);
  lines.push(verdict(outcome, view.state));
  return `${lines.join('\n')}\n`;
}

/** Recovered / Still failing / Pending, then the items still failing and pending. */
export function formatOutcomeLines(outcome: ReplayOutcome): string[] {
  const lines = [
    'Result of the replay:',
    `  Recovered: ${outcome.recovered}`,
    `  Still failing: ${outcome.failedAgain}`,
  ];
  if (outcome.pending > 0) lines.push(`  Pending: ${outcome.pending}`);
  if (outcome.failing.length > 0) {
    lines.push('Still failing:');
    const width = Math.max(...outcome.failing.slice(0, MAX_LISTED).map((f) => f.itemId.length));
    for (const failing of outcome.failing.slice(0, MAX_LISTED)) {
      lines.push(`  ${failing.itemId.padEnd(width)}  ${failing.type} (${failing.reason}): ${shorten(failing.message, 80)}`);
    }
    const listed = Math.min(MAX_LISTED, outcome.failing.length);
    if (outcome.failedAgain > listed) lines.push(`  ... and ${outcome.failedAgain - listed} more`);
  }
  if (outcome.waiting.length > 0 && outcome.pending > 0) {
    const shown = outcome.waiting.slice(0, MAX_LISTED);
    lines.push(`Pending: ${shown.join(', ')}${outcome.pending > shown.length ? `, ... and ${outcome.pending - shown.length} more` : ''}`);
  }
  return lines;
}

/** One progress line while waiting: `1 recovered, 0 still failing, 3 pending`. */
export function formatWaitProgress(outcome: ReplayOutcome): string {
  return `waiting: ${outcome.recovered} recovered, ${outcome.failedAgain} still failing, ${outcome.pending} pending\n`;
}

/** The head of `retry-failures`: how the candidates were found, then "Available: X, limited to: N". */
export function formatRetryCandidates(input: {
  topic: string;
  read: number;
  items: number;
  undecodable: number;
  drops: OperationsApi.RetryCandidates['drops'];
  available: number;
  max?: number;
}): string {
  const { drops } = input;
  const lines = [
    `Retrying failures from ${input.topic}:`,
    `  Dead letters read: ${input.read} (${input.items} ${plural(input.items, 'item', 'items')}, latest dead letter of each kept)`,
  ];
  if (input.undecodable > 0) lines.push(`  Undecodable: ${input.undecodable}`);
  lines.push(
    `  Not worth retrying: ${drops.notWorthRetrying} (NOT_RETRYABLE or VALIDATION)`,
    ...(drops.otherType > 0 ? [`  Other failure types: ${drops.otherType}`] : []),
    `  Already replayed: ${drops.alreadyReplayed}`,
    `  Succeeded since: ${drops.succeededLater}`,
    `  Available: ${input.available}${input.max === undefined ? '' : `, limited to: ${input.max}`}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The last line: the seed's "Sucesso! 6 portfolios foram recuperados", in English. */
export function verdict(outcome: ReplayOutcome, state?: ReplayState): string {
  if (outcome.published === 0) return state === 'trial' ? 'Nothing was republished yet.' : 'Nothing was republished.';
  if (outcome.recovered >= outcome.published) {
    return `Success: all ${outcome.published} replayed ${plural(outcome.published, 'item', 'items')} recovered.`;
  }
  if (outcome.pending > 0) return `${outcome.recovered} of ${outcome.published} recovered so far; ${outcome.pending} pending.`;
  return `${outcome.recovered} of ${outcome.published} recovered; ${outcome.failedAgain} still failing.`;
}

/** What a replay read but did not select: filtered out by `replay`, not chosen by `retry-failures`. */
function leftOutLabel(origin: Origin): string {
  return origin === 'retry-failures' ? 'not chosen' : 'skipped by filter';
}

function table(rows: readonly [string, number][]): string[] {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => String(value).length));
  return rows.map(([label, value]) => `  ${label.padEnd(labelWidth)}  ${String(value).padStart(valueWidth)}`);
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
