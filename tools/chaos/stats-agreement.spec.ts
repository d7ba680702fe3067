import { compareStats, topicItemNumbers } from './stats-agreement';

describe('compareStats', () => {
  const topics = topicItemNumbers(['a', 'b', 'c', 'a'], ['a', 'b'], ['c']);

  it('counts distinct ids on the topics', () => {
    expect(topics).toEqual({ submitted: 3, succeeded: 2, abandoned: 1 });
  });

  it('agrees when the stats say what the topics say, nothing pending', () => {
    expect(compareStats('overall', { submitted: 3, pending: 0, succeeded: 2, abandoned: 1 }, topics)).toEqual([]);
  });

  it('names every number that differs', () => {
    expect(compareStats('overall', { submitted: 3, pending: 1, succeeded: 1, abandoned: 1 }, topics)).toEqual([
      'overall succeeded: stats 1, topics 2',
      'overall pending: stats 1, topics 0',
    ]);
  });
});
