import { tierRelease } from './tier-release';

const TIERS = [1000, 5000, 30_000, 60_000];

describe('tierRelease', () => {
  it('fires at the due time, never before', () => {
    expect(tierRelease(10_000, 6_000, 5000, 9_999, TIERS)).toEqual({ action: 'wait', waitMs: 1 });
    expect(tierRelease(10_000, 4_000, 5000, 10_000, TIERS)).toEqual({ action: 'fire' });
    expect(tierRelease(10_000, 4_000, 5000, 12_000, TIERS)).toEqual({ action: 'fire' });
  });

  it('holds a message one tier length, then hops it to the tier of the time left', () => {
    // entered the 30 s tier at 0 with 50 s to go: released at 30 s, 20 s left -> 5 s tier
    expect(tierRelease(50_000, 0, 30_000, 10_000, TIERS)).toEqual({ action: 'wait', waitMs: 20_000 });
    expect(tierRelease(50_000, 0, 30_000, 30_000, TIERS)).toEqual({ action: 'hop', tierMs: 5000 });
  });

  it('keeps a tier first-in first-out: release order follows arrival order', () => {
    // Two messages in the 30 s tier: a 59 s delay entered first, a 31 s delay entered 1 s later.
    const first = tierRelease(59_000, 0, 30_000, 0, TIERS);
    const second = tierRelease(1_000 + 31_000, 1_000, 30_000, 0, TIERS);
    expect(first).toEqual({ action: 'wait', waitMs: 30_000 });
    expect(second).toEqual({ action: 'wait', waitMs: 31_000 });
  });

  it('never holds a message past one tier length, even with little left: it hops to the smallest tier', () => {
    // Entered the 5 s tier at 4 s, due at 10 s: released at 9 s with 1 s left -> 1 s tier.
    expect(tierRelease(10_000, 4_000, 5000, 9_000, TIERS)).toEqual({ action: 'hop', tierMs: 1000 });
    expect(tierRelease(10_000, 4_000, 5000, 9_999, TIERS)).toEqual({ action: 'hop', tierMs: 1000 });
  });

  it('in the smallest tier waits only until due', () => {
    expect(tierRelease(300, 0, 1000, 0, TIERS)).toEqual({ action: 'wait', waitMs: 300 });
  });
});
