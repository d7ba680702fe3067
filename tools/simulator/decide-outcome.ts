import type { FailureProfile, FaultMix } from './failure-profile.schema';
import { FAULTS, type Fault, type Outcome } from './outcome';
import { PORTFOLIOS } from './portfolios';
import { hashString32, seededRandom } from './seeded-random';

/** Why a call got its outcome: a scripted step, a problematic portfolio, or the dice. */
export type DecisionReason = 'script' | 'always-failing' | 'random';

/** The full decision for one call; {@link decideOutcome} keeps only the outcome. */
export interface CallDecision {
  /** What the simulator answers. */
  readonly outcome: Outcome;
  /** Delay before answering, in milliseconds, within `profile.latencyMs` (a `timeout` holds instead). */
  readonly latencyMs: number;
  /** Which rule decided. */
  readonly reason: DecisionReason;
}

// Resolving a count of problematic portfolios sorts all 104; cache it per profile object and seed.
const alwaysFailingCache = new WeakMap<FailureProfile, Map<number, ReadonlyMap<string, Fault>>>();

/**
 * The problematic portfolios of a profile for a seed, with the fault each always
 * answers. With a count, they are the portfolios with the lowest hash of
 * `${seed}:always-failing:${portfolioId}`: a different seed picks different ones.
 */
export function alwaysFailingPortfolios(profile: FailureProfile, seed: number): ReadonlyMap<string, Fault> {
  let bySeed = alwaysFailingCache.get(profile);
  if (bySeed === undefined) {
    bySeed = new Map();
    alwaysFailingCache.set(profile, bySeed);
  }
  const cached = bySeed.get(seed);
  if (cached !== undefined) {
    return cached;
  }
  const resolved = new Map<string, Fault>();
  if (typeof profile.alwaysFailing === 'number') {
    const ranked = PORTFOLIOS.map((portfolio) => ({
      portfolioId: portfolio.portfolioId,
      rank: hashString32(`${seed}:always-failing:${portfolio.portfolioId}`),
    })).sort((left, right) => left.rank - right.rank || left.portfolioId.localeCompare(right.portfolioId));
    for (const { portfolioId } of ranked.slice(0, profile.alwaysFailing)) {
      resolved.set(portfolioId, profile.alwaysFailingFault);
    }
  } else {
    for (const entry of profile.alwaysFailing) {
      if (typeof entry === 'string') {
        resolved.set(entry, profile.alwaysFailingFault);
      } else {
        resolved.set(entry.portfolioId, entry.fault);
      }
    }
  }
  bySeed.set(seed, resolved);
  return resolved;
}

function pickWeighted(mix: FaultMix, draw: number): Fault {
  const weighted = FAULTS.map((fault) => [fault, mix[fault] ?? 0] as const).filter(([, weight]) => weight > 0);
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = draw * total;
  for (const [fault, weight] of weighted) {
    if (threshold < weight) {
      return fault;
    }
    threshold -= weight;
  }
  // Only reachable through floating-point rounding at draw ~ 1.
  return weighted[weighted.length - 1][0];
}

/**
 * Decides the `callIndex`-th call (1 = first call) for a portfolio. Pure: the result
 * depends only on (profile, seed, portfolioId, callIndex), so the same seed and the same
 * number of calls per portfolio give the same faults whatever the interleaving.
 *
 * Precedence: a scripted step, then a problematic portfolio, then the dice
 * (`firstCallFaultRate` for call 1, `retryFaultRate` after, a fault picked from the mix).
 */
export function decideCall(
  profile: FailureProfile,
  seed: number,
  portfolioId: string,
  callIndex: number,
): CallDecision {
  if (!Number.isInteger(callIndex) || callIndex < 1) {
    throw new RangeError(`callIndex must be an integer >= 1, got ${callIndex}`);
  }
  const random = seededRandom(seed, `${portfolioId}:${callIndex}`);
  // Always draw all three numbers in this order, so the latency of a call does not
  // change when a script or a profile change alters its outcome.
  const faultDraw = random();
  const mixDraw = random();
  const latencyDraw = random();
  const [minLatency, maxLatency] = profile.latencyMs;
  const latencyMs = minLatency + Math.floor(latencyDraw * (maxLatency - minLatency + 1));

  const scripted = profile.script[portfolioId]?.[callIndex - 1];
  if (scripted !== undefined) {
    return { outcome: scripted, latencyMs, reason: 'script' };
  }
  const alwaysFailingFault = alwaysFailingPortfolios(profile, seed).get(portfolioId);
  if (alwaysFailingFault !== undefined) {
    return { outcome: alwaysFailingFault, latencyMs, reason: 'always-failing' };
  }
  const isFirstCall = callIndex === 1;
  const faultRate = isFirstCall ? profile.firstCallFaultRate : profile.retryFaultRate;
  if (faultDraw >= faultRate) {
    return { outcome: 'ok', latencyMs, reason: 'random' };
  }
  const mix = isFirstCall ? profile.faultMix : profile.retryFaultMix;
  return { outcome: pickWeighted(mix, mixDraw), latencyMs, reason: 'random' };
}

/** The outcome of the `callIndex`-th call (1 = first) for a portfolio; see {@link decideCall}. */
export function decideOutcome(
  profile: FailureProfile,
  seed: number,
  portfolioId: string,
  callIndex: number,
): Outcome {
  return decideCall(profile, seed, portfolioId, callIndex).outcome;
}
