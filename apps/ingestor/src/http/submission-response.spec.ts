import { HttpStatus } from '@nestjs/common';
import type { SubmissionResult } from '@workpipe/contracts';
import { batchAnswer, submissionStatus } from './submission-response';

const result = (overrides: Partial<SubmissionResult>): SubmissionResult => ({
  correlationId: 'c-1',
  accepted: [],
  rejected: [],
  duplicates: [],
  counts: { accepted: 0, rejected: 0, duplicates: 0 },
  ...overrides,
});

describe('the answer to a batch', () => {
  it('is the per-index result alone when something was accepted', () => {
    const accepted = result({ accepted: [{ index: 0, itemId: 'a' }], counts: { accepted: 1, rejected: 0, duplicates: 0 } });
    expect(batchAnswer(accepted, submissionStatus(accepted))).toBe(accepted);
  });

  it('says what is wrong when nothing was accepted, quoting the first reasons', () => {
    const rejected = Array.from({ length: 5 }, (_, index) => ({ index, reason: `key: bad ${index}` }));
    const refused = result({ rejected, counts: { accepted: 0, rejected: 5, duplicates: 0 } });
    expect(batchAnswer(refused, submissionStatus(refused))).toMatchObject({
      statusCode: 400,
      error: 'INVALID_ITEMS',
      message: 'nothing was accepted: 5 items refused (item 0: key: bad 0; item 1: key: bad 1; item 2: key: bad 2; and 2 more (see "rejected"))',
      rejected,
    });
    const duplicates = result({ duplicates: [{ index: 0, itemId: 'a', reason: 'ALREADY_ACCEPTED' }], counts: { accepted: 0, rejected: 0, duplicates: 1 } });
    expect(batchAnswer(duplicates, HttpStatus.CONFLICT)).toMatchObject({ statusCode: 409, error: 'ALL_DUPLICATES' });
  });
});
