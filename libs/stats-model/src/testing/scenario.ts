import { ItemStory, type StoryEvent } from './item-story';

/**
 * The realistic mix the integration tests and specs share: one story per kind
 * of life an item can have, with redelivered duplicates.
 */
export interface Scenario {
  batchId: string;
  stories: Record<string, ItemStory>;
  /** Every event, in pipeline order. */
  events: StoryEvent[];
}

const MINUTE = 60_000;

export function mixedScenario(batchId: string, t0: number, prefix = batchId): Scenario {
  const id = (name: string) => `${prefix}-${name}`;
  const story = (name: string, createdAtMs = t0) => new ItemStory({ itemId: id(name), key: `${prefix}-${name}-key`, batchId, createdAtMs });

  const stories: Record<string, ItemStory> = {
    // succeeds on the first try; the success is redelivered
    firstTry: story('first-try').submit().succeed(t0 + 2_000).duplicateLast(),
    // fails twice (API_ERROR, TIMEOUT) then succeeds on attempt 3; the first failure is emitted twice
    twoFailures: story('two-failures')
      .submit()
      .fail('API_ERROR', t0 + 1_000)
      .duplicateLast()
      .retry(t0 + 61_000)
      .fail('TIMEOUT', t0 + 62_000)
      .retry(t0 + 122_000)
      .succeed(t0 + 123_000),
    // abandoned after MAX_ATTEMPTS (3 x EMPTY_REPORT); the abandonment is emitted twice
    abandoned: story('abandoned')
      .submit()
      .fail('EMPTY_REPORT', t0 + 1_000)
      .retry(t0 + 31_000)
      .fail('EMPTY_REPORT', t0 + 32_000)
      .retry(t0 + 92_000)
      .fail('EMPTY_REPORT', t0 + 93_000)
      .abandon('MAX_ATTEMPTS', t0 + 93_500)
      .duplicateLast(),
    // abandoned (NOT_RETRYABLE AUTHENTICATION), replayed, then succeeds: recovered by replay
    replayed: story('replayed')
      .submit()
      .fail('AUTHENTICATION', t0 + 1_000, { retryable: false })
      .abandon('NOT_RETRYABLE', t0 + 1_100)
      .replay('replay-1', t0 + 5 * MINUTE)
      .duplicateLast()
      .succeed(t0 + 5 * MINUTE + 3_000),
    // deferred once by an open breaker (no attempt spent), then fails and waits for a retry: retryable
    waiting: story('waiting')
      .submit()
      .fail('CIRCUIT_OPEN', t0 + 1_000)
      .defer(t0 + 11_000)
      .fail('RATE_LIMIT', t0 + 12_000),
    // accepted, nothing else yet: pending
    fresh: story('fresh', t0 + 3 * MINUTE).submit(),
    // abandoned, replayed, abandoned again (CIRCUIT_OPEN)
    twiceAbandoned: story('twice-abandoned')
      .submit()
      .fail('API_ERROR', t0 + 1_000)
      .abandon('NOT_RETRYABLE', t0 + 1_200)
      .replay('replay-2', t0 + 6 * MINUTE)
      .fail('CIRCUIT_OPEN', t0 + 6 * MINUTE + 500)
      .abandon('CIRCUIT_OPEN', t0 + 6 * MINUTE + 600),
  };
  return { batchId, stories, events: Object.values(stories).flatMap((s) => s.events) };
}

/**
 * What {@link mixedScenario} must give, counted by hand from the stories above
 * (not by the model): the reference the model and the service are checked against.
 */
export const MIXED_SCENARIO_EXPECTED = {
  items: { submitted: 7, pending: 2, succeeded: 3, abandoned: 2 },
  succeeded: { total: 3, firstAttempt: 1, afterRetries: 2, byReplay: 1, byAttempt: { '1': 1, '3': 1 } },
  failures: {
    // distinct failed attempts: 2 + 3 + 1 + 2 + 2 (the duplicate API_ERROR is not counted)
    attempts: 10,
    attemptsByType: { API_ERROR: 2, AUTHENTICATION: 1, CIRCUIT_OPEN: 2, EMPTY_REPORT: 3, RATE_LIMIT: 1, TIMEOUT: 1 },
    items: 5,
    itemsByType: { API_ERROR: 2, AUTHENTICATION: 1, CIRCUIT_OPEN: 2, EMPTY_REPORT: 1, RATE_LIMIT: 1, TIMEOUT: 1 },
    retryable: 1,
    outstanding: 3,
    outstandingByType: { CIRCUIT_OPEN: 1, EMPTY_REPORT: 1, RATE_LIMIT: 1 },
  },
  abandoned: {
    total: 2,
    byReason: { CIRCUIT_OPEN: 1, MAX_ATTEMPTS: 1 },
    byType: { CIRCUIT_OPEN: 1, EMPTY_REPORT: 1 },
    rateByType: { API_ERROR: 0, AUTHENTICATION: 0, CIRCUIT_OPEN: 0.5, EMPTY_REPORT: 1, RATE_LIMIT: 0, TIMEOUT: 0 },
    // abandonment events: abandoned, replayed, twiceAbandoned x2
    events: 4,
  },
  retries: {
    // work items after the submission: 2 (twoFailures) + 2 (abandoned) + 1 replay + 1 defer + 1 replay
    scheduled: 7,
    replays: 2,
    // waits of the policy retries and the deferral (replays excluded): 60 s, 60 s, 30 s, 60 s, 10 s
    waitCount: 5,
    waitTotalMs: 220_000,
  },
  // time to success: 2 s, 123 s, 5 min + 3 s
  timeToSuccessMs: { count: 3, p50: 123_000, p95: 303_000, p99: 303_000 },
  // duplicates: success, API_ERROR failure, abandonment, replay work item
  duplicatesIgnored: 4,
} as const;
