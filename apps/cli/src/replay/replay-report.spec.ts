import type { OperationsApi } from '@workpipe/contracts';
import { deadLetterTable, formatDryRun, formatReplayStatus, formatReplaySummary, formatRetryCandidates, verdict, type ReplayRunSummary } from './replay-report';

const EMPTY_COUNTS: OperationsApi.ReplayCounts = { read: 0, selected: 0, republished: 0, alreadyReplayed: 0, skippedByFilter: 0, superseded: 0, undecodable: 0 };

/** A dry-run row of `itemId` at `partition:offset`. */
function row(itemId: string, partition: number, offset: number, overrides: Partial<OperationsApi.DeadLetterRow> = {}): OperationsApi.DeadLetterRow {
  return {
    partition,
    offset: String(offset),
    itemId,
    key: itemId.split('-').slice(0, 2).join('-'),
    lastFailureType: 'API_ERROR',
    reason: 'MAX_ATTEMPTS',
    attempts: 5,
    abandonedAt: '2025-03-14T09:10:00.000Z',
    message: `${overrides.lastFailureType ?? 'API_ERROR'} from the downstream`,
    ...overrides,
  };
}

const SUMMARY: ReplayRunSummary = {
  replayId: 'rp-1',
  state: 'complete',
  selectionText: 'wp.work.abandoned, partition 1 offsets 3-9',
  counts: { ...EMPTY_COUNTS, read: 7, selected: 5, republished: 5, skippedByFilter: 2 },
  republishedTotal: 5,
  earlier: 0,
  remaining: 0,
  undecodable: [],
  continued: false,
  origin: 'replay',
};

describe('formatReplaySummary', () => {
  it('lists the counts and how to follow the outcome', () => {
    expect(formatReplaySummary(SUMMARY)).toBe(
      [
        'Replay rp-1 (complete): wp.work.abandoned, partition 1 offsets 3-9',
        '  dead letters read  7',
        '  selected           5',
        '  republished        5',
        '  already replayed   0',
        '  skipped by filter  2',
        'Follow the outcome: workpipe replay-status rp-1 --wait',
        '',
      ].join('\n'),
    );
  });

  it('says how to go on after a trial', () => {
    const text = formatReplaySummary({ ...SUMMARY, state: 'trial', counts: { ...SUMMARY.counts, republished: 1 }, republishedTotal: 1, remaining: 4 });
    expect(text).toContain('  left for --continue  4\n');
    expect(text).toContain('Trial done: 1 republished, 4 left.\n  Check the trial:  workpipe replay-status rp-1 --wait\n  Replay the rest:  workpipe replay --continue rp-1\n');
  });

  it('says when everything was replayed already, and names undecodable and superseded dead letters', () => {
    const text = formatReplaySummary({
      ...SUMMARY,
      counts: { ...SUMMARY.counts, republished: 0, alreadyReplayed: 5, superseded: 1, undecodable: 2 },
      republishedTotal: 0,
      undecodable: ['wp.work.abandoned:1:4', 'wp.work.abandoned:1:8'],
    });
    expect(text).toContain('Nothing new to replay: 5 selected dead letters were already replayed.');
    expect(text).toContain('Undecodable dead letters (left alone): wp.work.abandoned:1:4, wp.work.abandoned:1:8');
    expect(text).toContain('superseded');
    expect(text).not.toContain('Follow the outcome');
  });

  it('calls what retry-failures left out "not chosen"', () => {
    expect(formatReplaySummary({ ...SUMMARY, origin: 'retry-failures' })).toContain('  not chosen         2\n');
  });
});

describe('formatDryRun', () => {
  const result: OperationsApi.DryRunResult = {
    origin: 'replay',
    topic: 'wp.work.abandoned',
    selectionText: 'wp.work.abandoned, partition 1 offsets 3-9',
    counts: { read: 7, wouldReplay: 2, alreadyReplayed: 1, skippedByFilter: 4, superseded: 0, undecodable: 0 },
    rows: [row('PF-0007-d', 1, 4), row('PF-0012-d', 1, 5, { lastFailureType: 'TIMEOUT', attempts: 3 })],
    alreadyReplayed: ['1:3 PF-0001-d'],
  };

  it('lists offset, item, key, last failure, reason, attempts, time and message of each dead letter', () => {
    expect(formatDryRun(result).split('\n')).toEqual([
      'Dry run of wp.work.abandoned, partition 1 offsets 3-9: 2 dead letters would be replayed (nothing is published or recorded)',
      '  OFFSET  ITEM       KEY      LAST FAILURE  REASON        ATTEMPTS  ABANDONED AT              MESSAGE',
      '  1:4     PF-0007-d  PF-0007  API_ERROR     MAX_ATTEMPTS  5         2025-03-14T09:10:00.000Z  API_ERROR from the downstream',
      '  1:5     PF-0012-d  PF-0012  TIMEOUT       MAX_ATTEMPTS  3         2025-03-14T09:10:00.000Z  TIMEOUT from the downstream',
      'dead letters read 7, would replay 2, already replayed 1 (would be skipped), skipped by filter 4',
      'Already replayed: 1:3 PF-0001-d',
      '',
    ]);
  });

  it('says what a trial would leave for --continue, and when the service listed fewer rows than there are', () => {
    expect(formatDryRun({ ...result, rows: result.rows.slice(0, 1) }, { trial: 1 })).toContain(
      '(--trial 1: the first 1 of 2; --continue would replay the rest)',
    );
    expect(formatDryRun({ ...result, rows: result.rows.slice(0, 1) })).toContain('  ... and 1 more (the stats service lists the first 1)');
  });

  it('shortens long failure messages to one line', () => {
    const text = deadLetterTable([row('a', 0, 1, { message: `line one\nline two ${'x'.repeat(100)}` })])[1] as string;
    expect(text.endsWith(`  line one line two ${'x'.repeat(39)}...`)).toBe(true); // 60 characters
  });
});

describe('replay outcome', () => {
  const outcome = (published: number, recovered: number, failing: OperationsApi.ReplayOutcome['failing'], waiting: string[]): OperationsApi.ReplayOutcome => ({
    published,
    recovered,
    failedAgain: failing.length,
    pending: waiting.length,
    failing,
    waiting,
  });
  const failing = [{ itemId: 'g', type: 'API_ERROR', message: '500 from the downstream', reason: 'MAX_ATTEMPTS' }];
  const view = (result: OperationsApi.ReplayOutcome): OperationsApi.ReplayView => ({
    replayId: 'rp-1',
    state: 'complete',
    createdAt: '2025-03-14T09:15:02.000Z',
    updatedAt: '2025-03-14T09:15:03.000Z',
    requestedBy: { kind: 'anonymous' },
    runs: 1,
    selection: { origin: 'replay', topic: 'wp.work.abandoned', ranges: [], filter: { types: [], reasons: [] }, asked: '--partition 1' },
    selectionText: 'wp.work.abandoned, partition 1 offsets 3-9',
    counts: { ...EMPTY_COUNTS, selected: 8, republished: 8 },
    lastRun: { run: 1, state: 'complete', startedAt: '2025-03-14T09:15:02.000Z', pacing: {}, counts: { ...EMPTY_COUNTS, selected: 8, republished: 8 }, earlier: 0, remaining: 0, undecodable: [] },
    outcome: result,
    progress: { done: 8, total: 8, fraction: 1 },
    requests: [],
  });

  it('prints recovered / still failing / pending like the seed, with the items still failing', () => {
    expect(formatReplayStatus(view(outcome(8, 6, failing, ['h'])), false)).toBe(
      [
        'Replay rp-1: complete, created 2025-03-14T09:15:02.000Z, 1 run',
        '  selection: wp.work.abandoned, partition 1 offsets 3-9 (--partition 1)',
        '  republished 8 of 8 selected (already replayed: 0, skipped by filter: 0)',
        '',
        'Result of the replay:',
        '  Recovered: 6',
        '  Still failing: 1',
        '  Pending: 1',
        'Still failing:',
        '  g  API_ERROR (MAX_ATTEMPTS): 500 from the downstream',
        'Pending: h',
        '6 of 8 recovered so far; 1 pending.',
        '',
      ].join('\n'),
    );
  });

  it('says when the wait timed out, and gives a verdict', () => {
    expect(formatReplayStatus(view(outcome(2, 1, [], ['h'])), true)).toContain('Stopped waiting with 1 still pending.');
    expect(verdict(outcome(2, 2, [], []))).toBe('Success: all 2 replayed items recovered.');
    expect(verdict(outcome(3, 2, failing, []))).toBe('2 of 3 recovered; 1 still failing.');
    expect(verdict(outcome(0, 0, [], []))).toBe('Nothing was republished.');
  });

  it('counts the pending items it does not name', () => {
    const many = { ...outcome(30, 0, [], ['a', 'b']), pending: 30 };
    expect(formatReplayStatus(view(many), false)).toContain('Pending: a, b, ... and 28 more');
  });
});

describe('formatRetryCandidates', () => {
  it('prints how the candidates were found, then "Available: X, limited to: N"', () => {
    const text = formatRetryCandidates({
      topic: 'wp.work.abandoned',
      read: 14,
      items: 13,
      undecodable: 0,
      drops: { notWorthRetrying: 1, otherType: 0, alreadyReplayed: 4, succeededLater: 0 },
      available: 8,
      max: 10,
    });
    expect(text).toBe(
      [
        'Retrying failures from wp.work.abandoned:',
        '  Dead letters read: 14 (13 items, latest dead letter of each kept)',
        '  Not worth retrying: 1 (NOT_RETRYABLE or VALIDATION)',
        '  Already replayed: 4',
        '  Succeeded since: 0',
        '  Available: 8, limited to: 10',
        '',
      ].join('\n'),
    );
  });
});
