import { formatSummary } from './submission-summary';
import { SubmissionTally } from './submission-tally';

describe('SubmissionTally', () => {
  it('adds up batches and keeps the first rejected lines by line number, whatever order they arrive in', () => {
    const tally = new SubmissionTally(3);
    tally.add({ accepted: [{ line: 2, itemId: 'a' }], rejected: [{ line: 9, reason: 'r9' }, { line: 4, reason: 'r4' }], duplicates: [] }, 2);
    tally.add(
      {
        accepted: [],
        rejected: [{ line: 3, reason: 'r3' }, { line: 12, reason: 'r12' }],
        duplicates: [{ line: 5, itemId: 'd', reason: 'IN_FLIGHT' }],
      },
      2,
    );
    expect(tally).toMatchObject({ linesRead: 6, sent: 4, requests: 2, accepted: 1, rejected: 4, duplicates: 1, inFlight: 1, settledThroughLine: 12 });
    expect(tally.firstRejected.map((rejected) => rejected.line)).toEqual([3, 4, 9]);
  });

  it('does not count a batch of only unreadable lines as a request', () => {
    const tally = new SubmissionTally();
    tally.add({ accepted: [], rejected: [{ line: 7, reason: 'x' }], duplicates: [] }, 0);
    expect(tally.requests).toBe(0);
  });
});

describe('formatSummary', () => {
  const tally = (): SubmissionTally => {
    const t = new SubmissionTally(2);
    t.add(
      {
        accepted: [{ line: 2, itemId: 'a' }],
        rejected: [
          { line: 3, reason: 'expected 3 fields as in the header, got 2' },
          { line: 5, itemId: 'x y', reason: 'itemId: bad' },
          { line: 8, reason: 'later' },
        ],
        duplicates: [{ line: 4, itemId: 'a', reason: 'DUPLICATE_IN_REQUEST' }],
      },
      4,
    );
    return t;
  };

  it('gives the counts, the batch id and the first rejected lines with reasons', () => {
    expect(formatSummary({ file: 'items.csv', batchId: 'b-1', tally: tally() })).toBe(
      [
        'Submitted items.csv as batch b-1: 5 lines read, 4 items sent in 1 request',
        '  accepted    1',
        '  rejected    3',
        '  duplicates  1',
        '',
        'First 2 of 3 rejected lines:',
        '  line 3: expected 3 fields as in the header, got 2',
        '  line 5 [x y]: itemId: bad',
        'Use --rejected-out FILE to get all of them as CSV.',
        '',
      ].join('\n'),
    );
  });

  it('points at --rejected-out when it was given', () => {
    expect(formatSummary({ file: 'f', batchId: 'b', tally: tally(), rejectedOut: 'out.csv' })).toContain(
      'All rejected lines are in out.csv.',
    );
  });

  it('says why it stopped, what was accepted so far, and that re-running is safe', () => {
    const text = formatSummary({ file: 'f.csv', batchId: 'b-1', tally: tally(), stoppedBecause: 'the ingestor is unavailable' });
    expect(text).toMatch(/^Stopped submitting f.csv as batch b-1/);
    expect(text).toContain('Stopped early: the ingestor is unavailable.');
    expect(text).toContain('Accepted so far: 1 item (lines up to 8 are settled).');
    expect(text).toContain('Re-running the same command is safe');
    expect(text).toContain('--batch-id b-1');
  });
});
