import { chooseDelayTier, DEFAULT_DELAY_TIERS_MS, delayTierLatenessBoundMs, validateDelayTiers } from './delay-tier';
import { InvalidDelayTiersError } from './errors/invalid-delay-tiers-error';
import { InvalidRetryInputError } from './errors/invalid-retry-input-error';

const tiers = DEFAULT_DELAY_TIERS_MS;

describe('chooseDelayTier', () => {
  it.each([
    [1_000, 1_000],
    [4_999, 1_000],
    [5_000, 5_000],
    [60_000, 60_000],
    [120_000, 60_000],
    [299_999, 60_000],
    [300_000, 300_000],
    [2_400_000, 900_000],
    [3_600_000, 3_600_000],
    [7_200_000, 3_600_000],
  ])('puts a %i ms delay in the %i ms tier (the largest tier not above it)', (delayMs, tier) => {
    expect(chooseDelayTier(delayMs, tiers)).toBe(tier);
  });

  it.each([0, 60, 999, -5])('puts a %i ms delay, below every tier, in the smallest tier', (delayMs) => {
    expect(chooseDelayTier(delayMs, tiers)).toBe(1_000);
  });

  it('never picks a tier longer than the delay once the delay reaches the smallest tier', () => {
    for (let delayMs = 1_000; delayMs <= 4_000_000; delayMs += 997) {
      const tier = chooseDelayTier(delayMs, tiers);
      expect(tier).toBeLessThanOrEqual(delayMs);
      const next = tiers[tiers.indexOf(tier) + 1];
      if (next !== undefined) expect(delayMs).toBeLessThan(next);
    }
  });

  it('works with a single tier', () => {
    expect(chooseDelayTier(10, [500])).toBe(500);
    expect(chooseDelayTier(10_000, [500])).toBe(500);
  });

  it('rejects a NaN delay', () => {
    expect(() => chooseDelayTier(Number.NaN, tiers)).toThrow(InvalidRetryInputError);
  });
});

describe('validateDelayTiers', () => {
  it('accepts the default tiers', () => {
    expect(() => validateDelayTiers(tiers)).not.toThrow();
  });

  it.each([
    [[], 'must not be empty'],
    [[1_000, 1_000], 'strictly ascending'],
    [[5_000, 1_000], 'strictly ascending'],
    [[0, 1_000], 'delay tier 0 must be a positive integer'],
    [[1_000, 1.5e3 + 0.5], 'delay tier 1 must be a positive integer'],
  ])('rejects %j', (bad, message) => {
    expect(() => validateDelayTiers(bad)).toThrow(InvalidDelayTiersError);
    expect(() => chooseDelayTier(1_000, bad)).toThrow(message);
  });

  it('marks the error as not retryable', () => {
    expect(new InvalidDelayTiersError('x')).toMatchObject({ name: 'InvalidDelayTiersError', retryable: false });
  });
});

describe('delayTierLatenessBoundMs', () => {
  it.each([
    [1_000, 5_000],
    [5_000, 25_000],
    [30_000, 30_000],
    [60_000, 240_000],
    [300_000, 600_000],
    [900_000, 2_700_000],
    [3_600_000, 0],
  ])('bounds lateness in the %i ms tier by %i ms with the defaults', (tier, bound) => {
    expect(delayTierLatenessBoundMs(tier, tiers)).toBe(bound);
  });

  it('grows for the top tier when the policy ceiling is above it', () => {
    expect(delayTierLatenessBoundMs(3_600_000, tiers, 7_200_000)).toBe(3_600_000);
  });

  it('rejects a tier that is not configured', () => {
    expect(() => delayTierLatenessBoundMs(2_000, tiers)).toThrow(InvalidDelayTiersError);
  });

  it('is an actual bound: a FIFO tier that holds each message until due is never later than it', () => {
    // Simulate one tier partition: arrivals in order, each held until due, the head blocks the rest.
    const tier = 60_000;
    const bound = delayTierLatenessBoundMs(tier, tiers);
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let now = 0;
    let headReleasedAt = 0;
    let worst = 0;
    for (let i = 0; i < 10_000; i++) {
      now += Math.floor(random() * 2_000);
      const delay = 60_000 + Math.floor(random() * 239_999);
      expect(chooseDelayTier(delay, tiers)).toBe(tier);
      const due = now + delay;
      const releasedAt = Math.max(due, headReleasedAt);
      headReleasedAt = releasedAt;
      worst = Math.max(worst, releasedAt - due);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(bound);
  });
});
