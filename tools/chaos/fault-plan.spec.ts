import { mulberry32 } from '../simulator/seeded-random';
import { FAULT_KINDS, type FaultKind } from './fault-kind';
import { planFaults, type FaultPlanOptions } from './fault-plan';

const options = (seed: number, overrides: Partial<FaultPlanOptions> = {}): FaultPlanOptions => ({
  required: ['kill-processor', 'kill-retrier', 'kill-stats', 'restart-broker', 'flush-redis'],
  count: 5,
  fromMs: 6_000,
  toMs: 42_000,
  minDownMs: 1_000,
  maxDownMs: 3_000,
  processors: 2,
  random: mulberry32(seed),
  ...overrides,
});

describe('planFaults', () => {
  it('holds each required kind once, due in the window in time order, with down times in range', () => {
    const plan = planFaults(options(7));
    expect(plan.map((step) => step.kind).sort()).toEqual(['flush-redis', 'kill-processor', 'kill-retrier', 'kill-stats', 'restart-broker']);
    expect(plan.map((step) => step.number)).toEqual([1, 2, 3, 4, 5]);
    const times = plan.map((step) => step.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const step of plan) {
      expect(step.atMs).toBeGreaterThanOrEqual(6_000);
      expect(step.atMs).toBeLessThanOrEqual(42_000);
      if (step.kind === 'flush-redis') expect(step.downMs).toBe(0);
      else expect(step.downMs).toBeGreaterThanOrEqual(1_000);
      expect(step.downMs).toBeLessThanOrEqual(3_000);
      expect([0, 1]).toContain(step.instance);
    }
  });

  it('is the same plan for the same seed, another for another seed', () => {
    expect(planFaults(options(7))).toEqual(planFaults(options(7)));
    expect(planFaults(options(7))).not.toEqual(planFaults(options(8)));
  });

  it('draws the faults beyond the required ones from the pool', () => {
    const pool: readonly FaultKind[] = FAULT_KINDS;
    const plan = planFaults(options(3, { required: FAULT_KINDS, pool, count: 12 }));
    expect(plan).toHaveLength(12);
    for (const kind of FAULT_KINDS) expect(plan.some((step) => step.kind === kind)).toBe(true);
  });

  it('refuses a plan smaller than its required faults', () => {
    expect(() => planFaults(options(1, { count: 2 }))).toThrow(RangeError);
  });
});
