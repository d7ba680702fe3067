import type { ChaosResult } from '../../../tools/chaos/chaos-run';

/** Every accepted item has exactly one terminal outcome on the topics: none lost, stuck, doubled or in both. */
export function expectOneTerminalOutcomeEach(result: ChaosResult, items: number): void {
  expect(result.outcomes.accepted).toBe(items - result.outcomes.uncertain);
  expect(result.outcomes.lost).toEqual([]);
  expect(result.outcomes.stuck).toEqual([]);
  expect(result.outcomes.duplicated).toEqual([]);
  expect(result.outcomes.inBoth).toEqual([]);
  expect(result.outcomes.unexpected).toEqual([]);
  // Each accepted item once, plus those of an unknown-outcome answer that were written.
  expect(result.outcomes.succeeded + result.outcomes.abandoned).toBeGreaterThanOrEqual(result.outcomes.accepted);
  expect(result.outcomes.succeeded + result.outcomes.abandoned).toBeLessThanOrEqual(result.outcomes.accepted + result.outcomes.uncertain);
}

/** The stats service agrees with the topics, and the run's readers read them to their ends. */
export function expectStatsAgree(result: ChaosResult): void {
  expect(result.statsMismatches).toEqual([]);
  expect(result.readersBehind).toEqual([]);
  expect(result.converged).toBe(true);
}
