import { nearestRankIndex, percentile, summarizeDurations } from './percentile';

describe('nearest-rank percentiles', () => {
  it('follows the worked example for 20 values', () => {
    expect(nearestRankIndex(20, 50)).toBe(9);
    expect(nearestRankIndex(20, 95)).toBe(18);
    expect(nearestRankIndex(20, 99)).toBe(19);
  });

  it('returns an observed value, whatever the input order', () => {
    const values = [500, 100, 400, 200, 300];
    expect(percentile(values, 50)).toBe(300);
    expect(percentile(values, 95)).toBe(500);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([], 50)).toBeNull();
    expect(nearestRankIndex(0, 50)).toBe(-1);
  });

  it('summarizes p50/p95/p99', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    expect(summarizeDurations(values)).toEqual({ count: 100, p50: 500, p95: 950, p99: 990 });
    expect(summarizeDurations([])).toEqual({ count: 0, p50: null, p95: null, p99: null });
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => nearestRankIndex(10, 0)).toThrow(RangeError);
    expect(() => nearestRankIndex(10, 101)).toThrow(RangeError);
  });
});
