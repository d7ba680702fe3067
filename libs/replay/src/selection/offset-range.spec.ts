import { describeRanges, offsetCount, resolveRanges, unknownPartitions, type PartitionWatermarks } from './offset-range';

const WATERMARKS: PartitionWatermarks[] = [
  { partition: 2, low: 0n, high: 4n },
  { partition: 0, low: 0n, high: 10n },
  { partition: 1, low: 5n, high: 20n },
];

describe('resolveRanges', () => {
  it('reads every partition from its low watermark to its last offset without a request', () => {
    expect(resolveRanges({}, WATERMARKS)).toEqual([
      { partition: 0, from: 0n, to: 9n },
      { partition: 1, from: 5n, to: 19n },
      { partition: 2, from: 0n, to: 3n },
    ]);
  });

  it('takes an inclusive range of one partition', () => {
    expect(resolveRanges({ partitions: [0], fromOffset: 3n, toOffset: 7n }, WATERMARKS)).toEqual([{ partition: 0, from: 3n, to: 7n }]);
  });

  it('clips the range to what the partition holds: the high watermark seen now, and the low one', () => {
    expect(resolveRanges({ partitions: [1], fromOffset: 0n, toOffset: 100n }, WATERMARKS)).toEqual([{ partition: 1, from: 5n, to: 19n }]);
  });

  it('applies the same offsets to every partition without partitions, leaving out empty ones', () => {
    expect(resolveRanges({ fromOffset: 6n, toOffset: 12n }, WATERMARKS)).toEqual([
      { partition: 0, from: 6n, to: 9n },
      { partition: 1, from: 6n, to: 12n },
    ]);
  });

  it('narrows by the offsets found for since (first included) and until (first excluded)', () => {
    const since = new Map([[0, 4n], [1, 20n], [2, 1n]]);
    const until = new Map([[0, 8n], [1, 20n], [2, 1n]]);
    expect(resolveRanges({ sinceOffsets: since, untilOffsets: until }, WATERMARKS)).toEqual([{ partition: 0, from: 4n, to: 7n }]);
  });

  it('gives nothing for a range past the end or a partition that is empty', () => {
    expect(resolveRanges({ partitions: [0], fromOffset: 10n }, WATERMARKS)).toEqual([]);
    expect(resolveRanges({}, [{ partition: 0, low: 3n, high: 3n }])).toEqual([]);
  });

  it('names requested partitions the topic does not have', () => {
    expect(unknownPartitions({ partitions: [4, 1, 3] }, WATERMARKS)).toEqual([3, 4]);
    expect(unknownPartitions({}, WATERMARKS)).toEqual([]);
  });

  it('counts and describes ranges', () => {
    const ranges = [
      { partition: 0, from: 3n, to: 7n },
      { partition: 2, from: 4n, to: 4n },
    ];
    expect(offsetCount(ranges)).toBe(6);
    expect(describeRanges(ranges)).toBe('partition 0 offsets 3-7, partition 2 offset 4');
    expect(describeRanges([])).toBe('no offsets');
  });
});
