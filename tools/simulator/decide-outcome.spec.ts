import { alwaysFailingPortfolios, decideCall, decideOutcome } from './decide-outcome';
import { failureProfilePreset } from './failure-profile-presets';
import { FailureProfileSchema, type FailureProfile } from './failure-profile.schema';
import { parseFailureProfile } from './load-failure-profile';
import { FAULTS, type Outcome } from './outcome';
import { PORTFOLIOS } from './portfolios';

const seedProfile = failureProfilePreset('seed');

function outcomesFor(profile: FailureProfile, seed: number, callsPerPortfolio: number): Outcome[] {
  return PORTFOLIOS.flatMap((portfolio) =>
    Array.from({ length: callsPerPortfolio }, (_unused, index) =>
      decideOutcome(profile, seed, portfolio.portfolioId, index + 1),
    ),
  );
}

describe('decideOutcome', () => {
  it('gives the same outcomes for the same seed', () => {
    const again = FailureProfileSchema.parse({ name: 'seed' });
    expect(outcomesFor(again, 42, 5)).toEqual(outcomesFor(seedProfile, 42, 5));
  });

  it('gives different outcomes for a different seed', () => {
    const first = outcomesFor(seedProfile, 42, 5);
    const second = outcomesFor(seedProfile, 43, 5);
    const differing = first.filter((outcome, index) => outcome !== second[index]).length;
    // 520 calls at ~30% fault rate: two seeds disagree on a good share of them.
    expect(differing).toBeGreaterThan(50);
  });

  it('does not depend on the order portfolios are called in', () => {
    // Pure function of (seed, portfolio, k): asking in reverse order changes nothing.
    const forward = PORTFOLIOS.map((portfolio) => decideOutcome(seedProfile, 42, portfolio.portfolioId, 1));
    const backward = [...PORTFOLIOS]
      .reverse()
      .map((portfolio) => decideOutcome(seedProfile, 42, portfolio.portfolioId, 1))
      .reverse();
    expect(backward).toEqual(forward);
  });

  it('fails ~43% of first calls and fewer retries with the seed preset, over many seeds', () => {
    const seeds = Array.from({ length: 50 }, (_unused, index) => index + 1);
    const rate = (callIndex: number): number => {
      const outcomes = seeds.flatMap((seed) =>
        PORTFOLIOS.map((portfolio) => decideOutcome(seedProfile, seed, portfolio.portfolioId, callIndex)),
      );
      return outcomes.filter((outcome) => outcome !== 'ok').length / outcomes.length;
    };
    const firstCallRate = rate(1);
    const retryRate = rate(2);
    // 0.43 on the 101 ordinary portfolios plus the 3 problematic ones that always fail.
    expect(firstCallRate).toBeGreaterThan(0.41);
    expect(firstCallRate).toBeLessThan(0.48);
    expect(retryRate).toBeGreaterThan(0.23);
    expect(retryRate).toBeLessThan(0.31);
  });

  it('keeps retries to transient faults with the seed preset', () => {
    const retries = new Set(
      [1, 2, 3, 4, 5].flatMap((seed) =>
        PORTFOLIOS.map((portfolio) => decideOutcome(seedProfile, seed, portfolio.portfolioId, 2)),
      ),
    );
    expect([...retries].sort()).toEqual(['ok', 'rate_limited', 'server_error', 'timeout']);
  });

  it('always answers ok with the healthy preset', () => {
    expect(new Set(outcomesFor(failureProfilePreset('healthy'), 42, 3))).toEqual(new Set(['ok']));
  });

  it.each(FAULTS)('always answers %s with the always-<fault> preset', (fault) => {
    const profile = failureProfilePreset(`always-${fault}`);
    expect(new Set(outcomesFor(profile, 7, 3))).toEqual(new Set([fault]));
  });

  it('rejects a call index below 1', () => {
    expect(() => decideOutcome(seedProfile, 42, 'PF-0001', 0)).toThrow(RangeError);
    expect(() => decideOutcome(seedProfile, 42, 'PF-0001', 1.5)).toThrow(RangeError);
  });

  it('keeps latency within latencyMs and the same for the same call', () => {
    const profile = parseFailureProfile({ latencyMs: [10, 20] });
    const latencies = PORTFOLIOS.map((portfolio) => decideCall(profile, 42, portfolio.portfolioId, 1).latencyMs);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(20);
    expect(decideCall(profile, 42, 'PF-0001', 1)).toEqual(decideCall(profile, 42, 'PF-0001', 1));
  });
});

describe('problematic portfolios (alwaysFailing)', () => {
  it('picks 3 of the 104 by default, by seed, each failing every call with server_error', () => {
    const picked = alwaysFailingPortfolios(seedProfile, 42);
    expect(picked.size).toBe(3);
    for (const [portfolioId, fault] of picked) {
      expect(fault).toBe('server_error');
      const outcomes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((callIndex) =>
        decideCall(seedProfile, 42, portfolioId, callIndex),
      );
      expect(outcomes.every((decision) => decision.outcome === 'server_error')).toBe(true);
      expect(outcomes.every((decision) => decision.reason === 'always-failing')).toBe(true);
    }
    expect([...alwaysFailingPortfolios(seedProfile, 43).keys()]).not.toEqual([...picked.keys()]);
  });

  it('takes an explicit list, with a fault per portfolio', () => {
    const profile = parseFailureProfile({
      alwaysFailing: ['PF-0001', { portfolioId: 'PF-0002', fault: 'unauthorized' }],
      alwaysFailingFault: 'timeout',
    });
    expect(decideOutcome(profile, 42, 'PF-0001', 4)).toBe('timeout');
    expect(decideOutcome(profile, 42, 'PF-0002', 4)).toBe('unauthorized');
    expect(alwaysFailingPortfolios(profile, 42).size).toBe(2);
  });
});

describe('script', () => {
  it('forces the n-th call of a portfolio, then lets the profile decide', () => {
    const profile = parseFailureProfile({ extends: 'healthy', script: { 'PF-0007': ['server_error', 'timeout', 'ok'] } });
    expect([1, 2, 3, 4].map((callIndex) => decideOutcome(profile, 42, 'PF-0007', callIndex))).toEqual([
      'server_error',
      'timeout',
      'ok',
      'ok',
    ]);
    expect(decideCall(profile, 42, 'PF-0007', 1).reason).toBe('script');
    expect(decideOutcome(profile, 42, 'PF-0008', 1)).toBe('ok');
  });

  it('wins over a problematic portfolio', () => {
    const profile = parseFailureProfile({ alwaysFailing: ['PF-0003'], script: { 'PF-0003': ['ok'] } });
    expect(decideOutcome(profile, 42, 'PF-0003', 1)).toBe('ok');
    expect(decideOutcome(profile, 42, 'PF-0003', 2)).toBe('server_error');
  });
});
