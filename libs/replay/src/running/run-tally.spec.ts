import { MAX_UNDECODABLE_LISTED, RunTally } from './run-tally';

describe('RunTally', () => {
  it('leaves for a continue what this run did not settle', () => {
    const tally = new RunTally(5);
    tally.republished = 1;
    tally.earlier = 1;
    tally.alreadyReplayed = 1;
    expect(tally.remaining).toBe(2);
    expect(tally.counts()).toMatchObject({ selected: 5, republished: 1, alreadyReplayed: 1 });
  });

  it('counts every undecodable dead letter and names the first few', () => {
    const tally = new RunTally(0);
    for (let i = 0; i < 15; i++) tally.markUndecodable(`t:0:${i}`);
    expect(tally.undecodable).toBe(15);
    expect(tally.undecodablePositions).toHaveLength(MAX_UNDECODABLE_LISTED);
  });
});
