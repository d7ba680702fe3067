import { RangeProgress } from './range-progress';

describe('RangeProgress', () => {
  it('is done when the last offset of every range is delivered', () => {
    const progress = new RangeProgress([
      { partition: 0, from: 2n, to: 3n },
      { partition: 1, from: 0n, to: 0n },
    ]);
    expect(progress.deliver(0, 1n)).toBe(false); // before the range
    expect(progress.deliver(0, 2n)).toBe(true);
    expect(progress.deliver(0, 3n)).toBe(true);
    expect(progress.complete).toBe(false);
    expect(progress.deliver(2, 0n)).toBe(false); // another partition
    expect(progress.deliver(1, 0n)).toBe(true);
    expect(progress.complete).toBe(true);
  });

  it('ignores messages delivered twice and those past the end (which end the range too)', () => {
    const progress = new RangeProgress([{ partition: 0, from: 0n, to: 5n }]);
    expect(progress.deliver(0, 0n)).toBe(true);
    expect(progress.deliver(0, 0n)).toBe(false);
    expect(progress.deliver(0, 9n)).toBe(false);
    expect(progress.complete).toBe(true);
  });

  it('is done when the range ends in transaction markers: a control-only batch right after the last message', () => {
    const progress = new RangeProgress([{ partition: 0, from: 0n, to: 5n }]);
    for (const offset of [0n, 1n, 2n, 3n]) progress.deliver(0, offset);
    expect(progress.complete).toBe(false);
    progress.fetched(0, 4n, 5n, 0);
    expect(progress.complete).toBe(true);
  });

  it('is done when a batch covering the end has had all its data messages delivered, before or after it was reported', () => {
    const progress = new RangeProgress([{ partition: 0, from: 0n, to: 9n }]);
    progress.deliver(0, 0n);
    progress.deliver(0, 2n); // 1 is a marker
    progress.fetched(0, 0n, 9n, 4); // data at 0, 2, 4, 6; the rest markers
    expect(progress.complete).toBe(false);
    progress.deliver(0, 4n);
    expect(progress.complete).toBe(false);
    progress.deliver(0, 6n);
    expect(progress.complete).toBe(true);
  });

  it('does not end a range on a batch that starts past a gap still to be delivered', () => {
    const progress = new RangeProgress([{ partition: 0, from: 0n, to: 9n }]);
    progress.deliver(0, 0n);
    progress.fetched(0, 5n, 9n, 0); // fetched before the seek: says nothing of 1-4
    expect(progress.complete).toBe(false);
    progress.deliver(0, 4n); // 1-3 hold nothing; 4 was the last message before 5
    expect(progress.complete).toBe(true);
  });

  it('waits for the messages of a batch that was only partly delivered', () => {
    const progress = new RangeProgress([{ partition: 0, from: 0n, to: 3n }]);
    progress.fetched(0, 0n, 4n, 5);
    progress.deliver(0, 0n);
    progress.deliver(0, 1n);
    expect(progress.complete).toBe(false);
    expect(progress.remaining()).toEqual([{ partition: 0, next: 2n, to: 3n }]);
    expect(progress.resumeOffset(0)).toBe(2n);
  });

  it('ignores batches that end before the range does', () => {
    const progress = new RangeProgress([{ partition: 0, from: 0n, to: 9n }]);
    progress.fetched(0, 0n, 5n, 0);
    expect(progress.complete).toBe(false);
  });

  it('is done at once without ranges', () => {
    expect(new RangeProgress([]).complete).toBe(true);
  });
});
