import { chooseDelayTier } from '@workpipe/retry-policy';
import { tierRelease } from './tier-release';

/**
 * The README's bound, "a retry never fires before its due time and fires at most the smallest tier
 * late (plus one consume and produce)", checked on a model of the delay tiers with consume and
 * produce taking no time: one partition per tier, first-in first-out, whose window holds `window`
 * messages and frees room only as its done prefix advances (as the partition worker's window does),
 * each message released by the real `tierRelease` and hopping by the real `chooseDelayTier`. The
 * consume and produce part of the bound is measured by `npm run bench:retry-lateness`.
 */

/** A small deterministic generator (mulberry32): the same seed, the same workload. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Entry {
  message: number;
  enteredAt: number;
  admitted: boolean;
  done: boolean;
}

interface TierPartition {
  tierMs: number;
  entries: Entry[];
  donePrefix: number;
}

type SimEventBody = { at: number } & ({ kind: 'enter'; message: number; tierMs: number } | { kind: 'release'; tier: TierPartition; entry: Entry });
type SimEvent = SimEventBody & { seq: number };

/** Lateness of each message (fire time minus due time), in milliseconds. */
function simulate(schedule: readonly { at: number; delayMs: number }[], tiersMs: readonly number[], window: number): number[] {
  const due = schedule.map(({ at, delayMs }) => at + delayMs);
  const lateness: number[] = new Array(schedule.length).fill(Number.NaN);
  const tiers = new Map(tiersMs.map((tierMs) => [tierMs, { tierMs, entries: [], donePrefix: 0 } as TierPartition]));
  const queue: SimEvent[] = [];
  let seq = 0;
  const push = (event: SimEventBody): void => void queue.push({ ...event, seq: seq++ });
  schedule.forEach(({ at, delayMs }, message) => push({ at, kind: 'enter', message, tierMs: chooseDelayTier(delayMs, tiersMs) }));

  const admit = (tier: TierPartition, now: number): void => {
    for (let index = tier.donePrefix; index < Math.min(tier.entries.length, tier.donePrefix + window); index++) {
      const entry = tier.entries[index] as Entry;
      if (entry.admitted) continue;
      entry.admitted = true;
      const release = tierRelease(due[entry.message] as number, entry.enteredAt, tier.tierMs, now, tiersMs);
      push({ at: release.action === 'wait' ? now + release.waitMs : now, kind: 'release', tier, entry });
    }
  };

  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const event = queue.shift() as SimEvent;
    if (event.kind === 'enter') {
      const tier = tiers.get(event.tierMs) as TierPartition;
      tier.entries.push({ message: event.message, enteredAt: event.at, admitted: false, done: false });
      admit(tier, event.at);
      continue;
    }
    const { tier, entry } = event;
    const release = tierRelease(due[entry.message] as number, entry.enteredAt, tier.tierMs, event.at, tiersMs);
    if (release.action === 'wait') throw new Error(`message ${entry.message} released before its release time`);
    if (release.action === 'fire') lateness[entry.message] = event.at - (due[entry.message] as number);
    else push({ at: event.at, kind: 'enter', message: entry.message, tierMs: release.tierMs });
    entry.done = true;
    while (tier.donePrefix < tier.entries.length && (tier.entries[tier.donePrefix] as Entry).done) tier.donePrefix++;
    admit(tier, event.at);
  }
  return lateness;
}

describe('the delay tiers lateness bound (model: consume and produce take no time)', () => {
  const SECOND = 1_000;
  const tiersMs = [1 * SECOND, 5 * SECOND, 30 * SECOND, 60 * SECOND];

  it.each([1, 3, 50])('never fires early and at most the smallest tier late, with a window of %i, over random bursts', (window) => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      // Bursts of retries scheduled close together, long delays queued ahead of short ones.
      const schedule = Array.from({ length: 120 }, (_, n) => ({
        at: Math.floor(n / 10) * 700 + Math.floor(random() * 200),
        delayMs: random() < 0.5 ? Math.floor(random() * 3 * SECOND) : Math.floor(random() * 150 * SECOND),
      }));
      const lateness = simulate(schedule, tiersMs, window);
      expect(lateness.every((ms) => Number.isFinite(ms))).toBe(true);
      expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...lateness)).toBeLessThanOrEqual(tiersMs[0] as number);
    }
  });

  it('a short retry behind a full window of long ones in the smallest tier waits no longer than that tier', () => {
    // Three retries due one tier after entering fill a window of 3; the fourth, due 100 ms after it
    // entered, is admitted when the head is released: 900 ms late, under the 1 s tier.
    const schedule = [
      { at: 0, delayMs: 999 },
      { at: 0, delayMs: 999 },
      { at: 0, delayMs: 999 },
      { at: 0, delayMs: 100 },
    ];
    expect(simulate(schedule, tiersMs, 3)).toEqual([0, 0, 0, 899]);
  });
});
