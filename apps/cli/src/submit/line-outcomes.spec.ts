import type { SubmissionResult } from '@workpipe/contracts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error';
import type { FileBatch } from './file-batches';
import { toLineOutcomes } from './line-outcomes';

const batch: FileBatch = {
  number: 2,
  items: [10, 11, 13, 14].map((line) => ({ line, submission: { key: `K${line}`, type: 't', payload: {} } })),
  unreadable: [{ line: 12, reason: 'expected 3 fields as in the header, got 2' }],
};

const result = (overrides: Partial<SubmissionResult> = {}): SubmissionResult => ({
  batchId: 'b',
  correlationId: 'c',
  accepted: [
    { index: 0, itemId: 'i10' },
    { index: 3, itemId: 'i14' },
  ],
  rejected: [{ index: 2, reason: 'key: must start with a letter or digit' }],
  duplicates: [{ index: 1, itemId: 'i11', reason: 'ALREADY_ACCEPTED' }],
  counts: { accepted: 2, rejected: 1, duplicates: 1 },
  ...overrides,
});

describe('toLineOutcomes', () => {
  it('maps each index of the request back to its file line, with the unreadable lines among the rejected', () => {
    expect(toLineOutcomes(batch, result())).toEqual({
      accepted: [
        { line: 10, itemId: 'i10' },
        { line: 14, itemId: 'i14' },
      ],
      rejected: [
        { line: 12, reason: 'expected 3 fields as in the header, got 2' },
        { line: 13, reason: 'key: must start with a letter or digit' },
      ],
      duplicates: [{ line: 11, itemId: 'i11', reason: 'ALREADY_ACCEPTED' }],
    });
  });

  it('keeps the item id the ingestor gives for a rejected item', () => {
    const outcomes = toLineOutcomes(batch, result({ rejected: [{ index: 2, itemId: 'given', reason: 'r' }] }));
    expect(outcomes.rejected).toContainEqual({ line: 13, itemId: 'given', reason: 'r' });
  });

  it('needs no result for a batch of unreadable lines only', () => {
    expect(toLineOutcomes({ number: 3, items: [], unreadable: [{ line: 40, reason: 'x' }] }, undefined)).toEqual({
      accepted: [],
      rejected: [{ line: 40, reason: 'x' }],
      duplicates: [],
    });
  });

  it.each([
    ['an index that was not sent', result({ accepted: [{ index: 0, itemId: 'a' }, { index: 3, itemId: 'b' }, { index: 9, itemId: 'c' }] }), /index 9 which was not sent/],
    ['an index twice', result({ accepted: [{ index: 0, itemId: 'a' }, { index: 0, itemId: 'a' }, { index: 3, itemId: 'b' }] }), /index 0 twice/],
    ['a missing index', result({ duplicates: [] }), /covers 3 of its 4 items/],
  ])('refuses an answer naming %s', (_name, answer, message) => {
    expect(() => toLineOutcomes(batch, answer)).toThrow(UnexpectedResponseError);
    expect(() => toLineOutcomes(batch, answer)).toThrow(message);
  });
});
