import { factOfStoryEvent, ItemStory } from '../testing/item-story';
import { seededRandom, shuffled } from '../testing/seeded-random';
import { contributionsOf } from './item-contributions';
import type { ItemFact } from './item-fact';
import { applyFact, type ItemState } from './item-state';
import { failedAttemptsOf, failureStatusOf, failureViewType, hasFailed, statusOf } from './item-status';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');

function run(facts: readonly ItemFact[]): { state: ItemState | undefined; outcomes: string[] } {
  let state: ItemState | undefined;
  const outcomes: string[] = [];
  for (const fact of facts) {
    const result = applyFact(state, fact);
    state = result.state;
    outcomes.push(result.outcome);
  }
  return { state, outcomes };
}

function factsOf(story: ItemStory): ItemFact[] {
  return story.events.map(factOfStoryEvent);
}

describe('item state machine', () => {
  it('pending on submission, succeeded first pass on a first-try success', () => {
    const story = new ItemStory({ itemId: 'p1-2026', batchId: 'b', createdAtMs: T0 }).submit();
    let { state } = run(factsOf(story));
    expect(state && statusOf(state)).toBe('pending');
    expect(state && hasFailed(state)).toBe(false);
    story.succeed(T0 + 5_000);
    state = run(factsOf(story)).state as ItemState;
    expect(statusOf(state)).toBe('succeeded');
    expect(contributionsOf(state).counters).toEqual({
      submitted: 1,
      succeeded: 1,
      succeeded_first_pass: 1,
      'succeeded_attempt:1': 1,
    });
    expect(contributionsOf(state).zsets).toEqual({ tts: 5_000 });
  });

  it('counts a success after two failures as succeeded after retries, on attempt 3', () => {
    const story = new ItemStory({ itemId: 'p2', createdAtMs: T0 })
      .submit()
      .fail('API_ERROR', T0 + 1_000)
      .retry(T0 + 61_000)
      .fail('TIMEOUT', T0 + 62_000)
      .retry(T0 + 122_000)
      .succeed(T0 + 123_000);
    const state = run(factsOf(story)).state as ItemState;
    expect(statusOf(state)).toBe('succeeded');
    expect(failedAttemptsOf(state)).toBe(2);
    expect(contributionsOf(state).counters).toMatchObject({
      succeeded_after_failure: 1,
      'succeeded_attempt:3': 1,
      failed_items: 1,
      'failed_items_type:API_ERROR': 1,
      'failed_items_type:TIMEOUT': 1,
    });
  });

  it('shows a failed item as retryable until it is abandoned, then by its reason and last type', () => {
    const story = new ItemStory({ itemId: 'p3', createdAtMs: T0 }).submit().fail('EMPTY_REPORT', T0 + 1_000);
    let state = run(factsOf(story)).state as ItemState;
    expect(failureStatusOf(state)).toBe('retryable');
    expect(contributionsOf(state).counters.retryable).toBe(1);
    expect(contributionsOf(state).zsets['fail:retryable:EMPTY_REPORT']).toBe(T0 + 1_000);

    story.retry(T0 + 31_000).fail('EMPTY_REPORT', T0 + 32_000).abandon('MAX_ATTEMPTS', T0 + 32_500);
    state = run(factsOf(story)).state as ItemState;
    expect(statusOf(state)).toBe('abandoned');
    expect(failureStatusOf(state)).toBe('abandoned');
    expect(failureViewType(state)).toBe('EMPTY_REPORT');
    const contributions = contributionsOf(state);
    expect(contributions.counters).toMatchObject({ abandoned: 1, 'abandoned_reason:MAX_ATTEMPTS': 1, 'abandoned_type:EMPTY_REPORT': 1 });
    expect(contributions.counters.retryable).toBeUndefined();
    expect(contributions.zsets['fail:abandoned']).toBe(T0 + 1_000);
    expect(contributions.zsets['fail:abandoned:reason:MAX_ATTEMPTS']).toBe(T0 + 1_000);
    expect(contributions.zsets['fail:abandoned:reason:MAX_ATTEMPTS:EMPTY_REPORT']).toBe(T0 + 1_000);
    expect(contributions.zsets.pending).toBeUndefined();
  });

  it('moves an abandoned item back to pending on a replay, and to recovered on its success', () => {
    const story = new ItemStory({ itemId: 'p4', createdAtMs: T0 })
      .submit()
      .fail('AUTHENTICATION', T0 + 1_000, { retryable: false })
      .abandon('NOT_RETRYABLE', T0 + 1_100);
    expect(statusOf(run(factsOf(story)).state as ItemState)).toBe('abandoned');
    story.replay('r1', T0 + 600_000);
    let state = run(factsOf(story)).state as ItemState;
    expect(statusOf(state)).toBe('pending');
    expect(failureStatusOf(state)).toBe('retryable');
    // Replayed, it is no longer among the abandoned of its reason.
    expect(Object.keys(contributionsOf(state).zsets).filter((name) => name.includes('reason'))).toEqual([]);
    story.succeed(T0 + 603_000);
    state = run(factsOf(story)).state as ItemState;
    expect(statusOf(state)).toBe('succeeded');
    expect(contributionsOf(state).counters).toMatchObject({ succeeded_after_failure: 1, succeeded_by_replay: 1 });
    expect(contributionsOf(state).counters['succeeded_attempt:1']).toBeUndefined();
  });

  it('keeps an item abandoned again after its replay is abandoned, by the latest abandonment', () => {
    const story = new ItemStory({ itemId: 'p5', createdAtMs: T0 })
      .submit()
      .fail('API_ERROR', T0 + 1_000)
      .abandon('NOT_RETRYABLE', T0 + 1_200)
      .replay('r2', T0 + 360_000)
      .fail('CIRCUIT_OPEN', T0 + 360_500)
      .abandon('CIRCUIT_OPEN', T0 + 360_600);
    const state = run(factsOf(story)).state as ItemState;
    expect(statusOf(state)).toBe('abandoned');
    expect(state.abandonment).toMatchObject({ reason: 'CIRCUIT_OPEN', failureType: 'CIRCUIT_OPEN' });
  });

  it('ignores a repeated fact (same attempt identity) and changes nothing', () => {
    const story = new ItemStory({ itemId: 'p6', createdAtMs: T0 }).submit().fail('API_ERROR', T0 + 1_000).duplicateLast();
    const { state, outcomes } = run(factsOf(story));
    expect(outcomes).toEqual(['applied', 'applied', 'duplicate']);
    expect(state?.failedAttempts).toBe(1);
  });

  it('counts a deferral (same attempt, deferrals + 1) as a distinct attempt identity', () => {
    const story = new ItemStory({ itemId: 'p7', createdAtMs: T0 })
      .submit()
      .fail('CIRCUIT_OPEN', T0 + 1_000)
      .defer(T0 + 11_000)
      .fail('CIRCUIT_OPEN', T0 + 12_000);
    const { state, outcomes } = run(factsOf(story));
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(state?.failedAttempts).toBe(2);
  });

  it('reaches the same state and contributions whatever order the topics are read in', () => {
    const story = new ItemStory({ itemId: 'p8', batchId: 'b', createdAtMs: T0 })
      .submit()
      .fail('API_ERROR', T0 + 1_000)
      .duplicateLast()
      .abandon('MAX_ATTEMPTS', T0 + 2_000)
      .replay('r1', T0 + 100_000)
      .fail('TIMEOUT', T0 + 101_000)
      .retry(T0 + 131_000)
      .succeed(T0 + 132_000)
      .duplicateLast();
    const facts = factsOf(story);
    const reference = contributionsOf(run(facts).state);
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      expect(contributionsOf(run(shuffled(facts, random)).state)).toEqual(reference);
    }
    expect(reference.counters).toMatchObject({ succeeded: 1, succeeded_by_replay: 1, succeeded_after_failure: 1 });
  });
});
