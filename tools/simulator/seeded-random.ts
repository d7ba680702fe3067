/**
 * A 32-bit FNV-1a hash of a string. Used to turn `${seed}:${portfolioId}:${callIndex}`
 * into a PRNG seed, so each call's randomness depends on that triple only and not on
 * how calls for different portfolios interleave.
 */
export function hashString32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV-1a alone leaves nearby inputs ("...:1", "...:2") with correlated low bits;
  // a final avalanche (murmur3 fmix32) spreads them before they feed the PRNG.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A uniform generator of numbers in [0, 1). */
export type RandomSource = () => number;

/** mulberry32: a tiny, fast 32-bit PRNG, good enough for fault injection (not for cryptography). */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** The PRNG for one (seed, key) pair, e.g. `seededRandom(42, 'PF-0007:3')`. */
export function seededRandom(seed: number, key: string): RandomSource {
  return mulberry32(hashString32(`${seed}:${key}`));
}
