import { compareBytes, laterFailure } from './event-facts';
import { factId, type FailureMark, type ItemFact } from './item-fact';

/**
 * What stats knows about one item: the union of the facts seen so far. Every
 * field is a commutative merge (count of distinct facts, min, max, or a choice
 * by a total order), so the state after a set of facts does not depend on the
 * order they arrived in: the topics may be read in any interleaving, and a
 * rebuild from the topics gives the same state.
 *
 * The Lua script `apply-fact` in `apps/stats` keeps the same state in a Redis
 * hash; `test/stats/apply-fact-script.test.ts` checks the two agree.
 */
export interface ItemState {
  itemId: string;
  key: string;
  workType: string;
  batchId: string;
  /** Earliest `createdAt` seen, epoch ms. */
  createdAtMs: number;
  /** Fact ids already applied (see {@link factId}). */
  facts: Set<string>;
  /** Epochs seen: `''` for the original life, else replay ids. */
  epochs: Set<string>;
  /** Epochs that ended in an abandonment. */
  abandonedEpochs: number;
  /** Distinct failed attempts (WorkFailed events). */
  failedAttempts: number;
  /** Distinct failed attempts by failure type. */
  failedAttemptsByType: Record<string, number>;
  /** Longest history any event carried. */
  historyLength: number;
  firstFailureAtMs?: number;
  lastFailure?: FailureMark;
  /** Distinct successful attempts (normally 0 or 1). */
  successes: number;
  /** The success that counts: the earliest (ties: the smallest fact id). */
  success?: { completedAtMs: number; attempt: number; replayId: string; factId: string };
  /** The abandonment that counts: the latest (ties: the greatest fact id). */
  abandonment?: { atMs: number; reason: string; failureType: string; detail: string; factId: string };
}

/** Counters moved by the event itself, once per distinct fact (not by the item's state). */
export interface EventCounts {
  counters: Record<string, number>;
  series: Record<string, number>;
  /** Samples of retry waits: member -> ms. */
  retryWaits: Record<string, number>;
}

export type ApplyOutcome = 'applied' | 'duplicate';

export interface ApplyResult {
  state: ItemState;
  outcome: ApplyOutcome;
  /** What the event itself adds (empty for a duplicate). */
  events: EventCounts;
}

export function emptyItemState(fact: ItemFact): ItemState {
  return {
    itemId: fact.itemId,
    key: fact.key,
    workType: fact.workType,
    batchId: fact.batchId,
    createdAtMs: fact.createdAtMs,
    facts: new Set(),
    epochs: new Set(),
    abandonedEpochs: 0,
    failedAttempts: 0,
    failedAttemptsByType: {},
    historyLength: 0,
    successes: 0,
  };
}

/** Epoch minute of an epoch-ms time: the time-series bucket. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}

/**
 * Applies one fact to an item (a fresh copy is returned; the input is not changed).
 * A fact already applied is a duplicate and changes nothing.
 */
export function applyFact(previous: ItemState | undefined, fact: ItemFact): ApplyResult {
  const id = factId(fact);
  const events: EventCounts = { counters: {}, series: {}, retryWaits: {} };
  if (previous?.facts.has(id)) return { state: previous, outcome: 'duplicate', events };

  const s = previous ? cloneState(previous) : emptyItemState(fact);
  s.facts.add(id);
  s.createdAtMs = Math.min(s.createdAtMs, fact.createdAtMs);
  s.epochs.add(fact.replayId);
  s.historyLength = Math.max(s.historyLength, fact.historyLength);
  if (fact.firstFailureAtMs !== undefined) {
    s.firstFailureAtMs = s.firstFailureAtMs === undefined ? fact.firstFailureAtMs : Math.min(s.firstFailureAtMs, fact.firstFailureAtMs);
  }
  s.lastFailure = laterFailure(s.lastFailure, fact.lastFailure);

  switch (fact.kind) {
    case 'work':
      if (fact.phase !== 'submission') add(events.counters, 'retries_scheduled', 1);
      if (fact.phase === 'replay') add(events.counters, 'replays', 1);
      if (fact.retryWaitMs !== undefined) {
        add(events.counters, 'retry_wait_ms_total', fact.retryWaitMs);
        add(events.counters, 'retry_wait_count', 1);
        events.retryWaits[`${fact.itemId}|${id}`] = fact.retryWaitMs;
      }
      break;
    case 'failed':
      s.failedAttempts += 1;
      add(s.failedAttemptsByType, fact.failure.type, 1);
      add(events.counters, 'failed_attempts', 1);
      add(events.counters, `failed_attempts_type:${fact.failure.type}`, 1);
      add(events.series, `${minuteOf(fact.failure.atMs)}:failed`, 1);
      break;
    case 'succeeded': {
      s.successes += 1;
      const candidate = { completedAtMs: fact.completedAtMs, attempt: fact.attempt, replayId: fact.replayId, factId: id };
      const current = s.success;
      if (
        !current ||
        candidate.completedAtMs < current.completedAtMs ||
        (candidate.completedAtMs === current.completedAtMs && compareBytes(id, current.factId) < 0)
      ) {
        s.success = candidate;
      }
      break;
    }
    case 'abandoned': {
      s.abandonedEpochs += 1;
      const candidate = { atMs: fact.abandonedAtMs, reason: fact.reason, failureType: fact.failureType, detail: fact.detail, factId: id };
      const current = s.abandonment;
      if (
        !current ||
        candidate.atMs > current.atMs ||
        (candidate.atMs === current.atMs && compareBytes(id, current.factId) > 0)
      ) {
        s.abandonment = candidate;
      }
      add(events.counters, 'abandonments', 1);
      add(events.series, `${minuteOf(fact.abandonedAtMs)}:abandoned`, 1);
      break;
    }
  }
  return { state: s, outcome: 'applied', events };
}

function cloneState(s: ItemState): ItemState {
  return {
    ...s,
    facts: new Set(s.facts),
    epochs: new Set(s.epochs),
    failedAttemptsByType: { ...s.failedAttemptsByType },
    success: s.success && { ...s.success },
    abandonment: s.abandonment && { ...s.abandonment },
    lastFailure: s.lastFailure && { ...s.lastFailure },
  };
}

function add(target: Record<string, number>, key: string, amount: number): void {
  target[key] = (target[key] ?? 0) + amount;
}
