import { checkOutcomes, outcomesHold } from './outcome-check';

const ids = (...values: string[]): Set<string> => new Set(values);

describe('checkOutcomes', () => {
  it('holds when every accepted item has exactly one terminal outcome', () => {
    const report = checkOutcomes({
      accepted: ids('a', 'b', 'c'),
      uncertain: ids(),
      work: ['a', 'b', 'c', 'b'],
      succeeded: ['a', 'c'],
      abandoned: ['b'],
    });
    expect(report).toEqual({ accepted: 3, uncertain: 0, succeeded: 2, abandoned: 1, lost: [], stuck: [], duplicated: [], inBoth: [], unexpected: [] });
    expect(outcomesHold(report)).toBe(true);
  });

  it('tells lost (never on the work topic) from stuck (there, but no outcome)', () => {
    const report = checkOutcomes({ accepted: ids('a', 'b', 'c'), uncertain: ids(), work: ['a', 'b'], succeeded: ['a'], abandoned: [] });
    expect(report.lost).toEqual(['c']);
    expect(report.stuck).toEqual(['b']);
    expect(outcomesHold(report)).toBe(false);
  });

  it('finds an outcome twice in one topic, and one in each topic', () => {
    const report = checkOutcomes({ accepted: ids('a', 'b', 'c'), uncertain: ids(), work: ['a', 'b', 'c'], succeeded: ['a', 'a', 'b'], abandoned: ['b', 'c'] });
    expect(report.duplicated).toEqual(['a', 'b']);
    expect(report.inBoth).toEqual(['b']);
    expect(report.succeeded).toBe(0);
    expect(report.abandoned).toBe(1);
    expect(outcomesHold(report)).toBe(false);
  });

  it('flags an outcome for an id never accepted', () => {
    const report = checkOutcomes({ accepted: ids('a'), uncertain: ids(), work: ['a', 'x'], succeeded: ['a', 'x'], abandoned: [] });
    expect(report.unexpected).toEqual(['x']);
    expect(outcomesHold(report)).toBe(false);
  });

  it('lets an item of unknown outcome have none (never written) or one (written), never two', () => {
    const unwritten = checkOutcomes({ accepted: ids('a'), uncertain: ids('u'), work: ['a'], succeeded: ['a'], abandoned: [] });
    expect(outcomesHold(unwritten)).toBe(true);
    const written = checkOutcomes({ accepted: ids('a'), uncertain: ids('u'), work: ['a', 'u'], succeeded: ['a', 'u'], abandoned: [] });
    expect(outcomesHold(written)).toBe(true);
    const writtenNoOutcome = checkOutcomes({ accepted: ids('a'), uncertain: ids('u'), work: ['a', 'u'], succeeded: ['a'], abandoned: [] });
    expect(writtenNoOutcome.stuck).toEqual(['u']);
    const twice = checkOutcomes({ accepted: ids('a'), uncertain: ids('u'), work: ['a', 'u'], succeeded: ['a', 'u'], abandoned: ['u'] });
    expect(twice.duplicated).toEqual(['u']);
  });
});
