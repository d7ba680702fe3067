import { hashString32, mulberry32, seededRandom } from './seeded-random';

describe('seeded random', () => {
  it('hashes a string to the same unsigned 32-bit integer every time', () => {
    const hash = hashString32('42:PF-0001:1');
    expect(hash).toBe(hashString32('42:PF-0001:1'));
    expect(Number.isInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(2 ** 32);
    expect(hashString32('42:PF-0001:2')).not.toBe(hash);
  });

  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const first = mulberry32(7);
    const second = mulberry32(7);
    const draws = Array.from({ length: 1000 }, () => first());
    expect(Array.from({ length: 1000 }, () => second())).toEqual(draws);
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
  });

  it('spreads draws evenly enough for fault rates to mean what they say', () => {
    // First draw of 10 000 consecutive keys, as the simulator uses them.
    const draws = Array.from({ length: 10_000 }, (_unused, index) => seededRandom(42, `PF-0001:${index + 1}`)());
    const belowHalf = draws.filter((draw) => draw < 0.5).length / draws.length;
    const belowTenth = draws.filter((draw) => draw < 0.1).length / draws.length;
    expect(belowHalf).toBeGreaterThan(0.48);
    expect(belowHalf).toBeLessThan(0.52);
    expect(belowTenth).toBeGreaterThan(0.09);
    expect(belowTenth).toBeLessThan(0.11);
  });
});
