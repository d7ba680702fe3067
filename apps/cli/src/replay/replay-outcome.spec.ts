import { tallyOutcome } from './replay-outcome';

describe('tallyOutcome', () => {
  const facts = {
    succeeded: new Set(['a', 'b', 'x']),
    abandoned: new Map([
      ['c', { type: 'TIMEOUT', message: 'no answer', reason: 'MAX_ATTEMPTS' }],
      ['b', { type: 'API_ERROR', message: 'earlier', reason: 'MAX_ATTEMPTS' }],
    ]),
  };

  it('puts every replayed item in exactly one group, ignoring events of other items', () => {
    const outcome = tallyOutcome(['a', 'b', 'c', 'd', 'a'], facts);
    expect(outcome).toEqual({
      republished: 4,
      recovered: 2,
      stillFailing: 1,
      pending: 1,
      failing: [{ itemId: 'c', type: 'TIMEOUT', message: 'no answer', reason: 'MAX_ATTEMPTS' }],
      waiting: ['d'],
    });
  });

  it('reports nothing for a replay that republished nothing', () => {
    expect(tallyOutcome([], facts)).toMatchObject({ republished: 0, recovered: 0, stillFailing: 0, pending: 0 });
  });
});
