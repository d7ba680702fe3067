import { MIXED_SCENARIO_EXPECTED, mixedScenario } from '../testing/scenario';
import { factOfStoryEvent, ItemStory } from '../testing/item-story';
import { seededRandom, shuffled } from '../testing/seeded-random';
import { buildStatsView } from '../view/stats-view';
import { OVERALL, StatsLedger } from './stats-ledger';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');

function ledgerOf(events: ReturnType<typeof mixedScenario>['events']): StatsLedger {
  const ledger = new StatsLedger();
  for (const event of events) ledger.apply(factOfStoryEvent(event));
  return ledger;
}

describe('StatsLedger', () => {
  const scenario = mixedScenario('batch-1', T0);

  it('gives the numbers counted by hand for the mixed scenario', () => {
    const view = buildStatsView(ledgerOf(scenario.events).snapshot({ kind: 'batch', batchId: 'batch-1' }));
    const expected = MIXED_SCENARIO_EXPECTED;
    expect(view.items).toEqual(expected.items);
    expect(view.succeeded).toEqual(expected.succeeded);
    expect(view.failures).toMatchObject({ ...expected.failures });
    expect(view.failures.oldestRetryableFailureAt).toBe(new Date(T0 + 1_000).toISOString());
    expect(view.failures.oldestFailureAt).toBe(new Date(T0 + 1_000).toISOString());
    expect(view.abandoned).toEqual(expected.abandoned);
    expect(view.retries).toMatchObject({ scheduled: expected.retries.scheduled, replays: expected.retries.replays });
    expect(view.retries.waitMs).toMatchObject({ count: expected.retries.waitCount, total: expected.retries.waitTotalMs, mean: 44_000 });
    expect(view.timeToSuccessMs).toEqual(expected.timeToSuccessMs);
    expect(view.duplicatesIgnored).toBe(expected.duplicatesIgnored);
    expect(view.rates).toEqual({ success: 3 / 5, firstPassSuccess: 1 / 6, recovery: 2 / 5, abandonment: 2 / 7, completion: 5 / 7 });
    expect(view.oldestPendingItemAt).toBe(new Date(T0).toISOString());
  });

  it('gives the same numbers for any interleaving of the topics', () => {
    const reference = ledgerOf(scenario.events);
    const random = seededRandom(2026);
    for (let round = 0; round < 50; round++) {
      const other = ledgerOf(shuffled(scenario.events, random));
      expect(other.totals(OVERALL)).toEqual(reference.totals(OVERALL));
      expect(other.snapshot({ kind: 'batch', batchId: 'batch-1' })).toEqual(reference.snapshot({ kind: 'batch', batchId: 'batch-1' }));
    }
  });

  it('keeps batches apart and adds them up overall', () => {
    const other = mixedScenario('batch-2', T0 + 3_600_000);
    const ledger = ledgerOf([...scenario.events, ...other.events]);
    expect(ledger.batchIds()).toEqual(['batch-1', 'batch-2']);
    expect(buildStatsView(ledger.snapshot({ kind: 'batch', batchId: 'batch-2' })).items).toEqual(MIXED_SCENARIO_EXPECTED.items);
    expect(buildStatsView(ledger.snapshot(OVERALL)).items.submitted).toBe(14);
    expect(ledger.hasBatch('nope')).toBe(false);
  });

  it('reproduces the seed example: 104 portfolios, 94 first-pass successes, 6 recovered, 4 abandoned', () => {
    const ledger = new StatsLedger();
    for (let i = 0; i < 104; i++) {
      const story = new ItemStory({ itemId: `p${i}`, batchId: 'seed', createdAtMs: T0 }).submit();
      if (i < 94) story.succeed(T0 + 1_000);
      else if (i < 100) story.fail('API_ERROR', T0 + 1_000).retry(T0 + 61_000).succeed(T0 + 62_000);
      else story.fail('TIMEOUT', T0 + 1_000).abandon('MAX_ATTEMPTS', T0 + 2_000);
      for (const event of story.events) ledger.apply(factOfStoryEvent(event));
    }
    const view = buildStatsView(ledger.snapshot({ kind: 'batch', batchId: 'seed' }));
    expect(view.rates.firstPassSuccess).toBeCloseTo(94 / 104);
    expect(view.rates.success).toBeCloseTo(100 / 104); // the seed's "100/104 = 96%"
    expect(view.rates.recovery).toBeCloseTo(6 / 10);
    expect(view.abandoned.rateByType).toEqual({ API_ERROR: 0, TIMEOUT: 1 });
    expect(view.succeeded.byAttempt).toEqual({ '1': 94, '2': 6 });
  });
});
