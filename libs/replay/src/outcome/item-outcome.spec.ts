import { nextOutcome, outcomeCounts, runProgress } from './item-outcome';

describe('item outcomes of a replay', () => {
  it('moves pending to recovered or failed again; a success wins; repeats change nothing', () => {
    expect(nextOutcome('p', 'succeeded')).toBe('r');
    expect(nextOutcome('p', 'abandoned')).toBe('f');
    expect(nextOutcome('f', 'succeeded')).toBe('r');
    expect(nextOutcome('f', 'abandoned')).toBe('f');
    expect(nextOutcome('r', 'abandoned')).toBe('r');
    expect(nextOutcome('r', 'succeeded')).toBe('r');
  });

  it('derives pending from the counters, never below 0', () => {
    expect(outcomeCounts(8, 6, 1)).toEqual({ published: 8, recovered: 6, failedAgain: 1, pending: 1 });
    expect(outcomeCounts(1, 2, 0).pending).toBe(0);
  });

  it('measures a run against what it selected', () => {
    expect(runProgress({ selected: undefined, republished: 0, earlier: 0, alreadyReplayed: 0, complete: false })).toEqual({ done: 0, total: 0, fraction: null });
    expect(runProgress({ selected: 4, republished: 1, earlier: 1, alreadyReplayed: 0, complete: false })).toEqual({ done: 2, total: 4, fraction: 0.5 });
    expect(runProgress({ selected: 0, republished: 0, earlier: 0, alreadyReplayed: 0, complete: true }).fraction).toBe(1);
  });
});
