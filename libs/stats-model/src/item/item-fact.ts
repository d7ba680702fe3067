/**
 * What stats learns from one event, reduced to what the counters need. Every
 * event of the four topics maps to exactly one fact; facts are what the item
 * state machine (and its Lua twin in `apps/stats`) applies.
 *
 * Times are epoch milliseconds. `replayId` is `''` outside a replay, so the
 * original life of an item and each replay of it are separate *epochs*.
 */
export type ItemFact = WorkFact | FailedFact | SucceededFact | AbandonedFact;

/** One failure as carried in an item's history. */
export interface FailureMark {
  /** When the attempt failed, epoch ms. */
  atMs: number;
  /** Failure type, e.g. `API_ERROR`. */
  type: string;
  message: string;
}

interface FactBase {
  itemId: string;
  /** Entity key (the portfolio id). */
  key: string;
  /** Work type, e.g. `portfolio-report`. */
  workType: string;
  /** `''` for an item submitted outside a batch. */
  batchId: string;
  /** When the item was first accepted, epoch ms. */
  createdAtMs: number;
  /** `''` outside a replay. */
  replayId: string;
  /** Failed attempts the event's history carries (the failure it reports included). */
  historyLength: number;
  /** Time of the oldest failure the event knows of, if any. */
  firstFailureAtMs?: number;
  /** The newest failure the event knows of, if any. */
  lastFailure?: FailureMark;
}

/**
 * A work item on the work topic. `phase`:
 * - `submission`: attempt 1 of the original epoch, never deferred (published by the ingestor);
 * - `replay`: an operator replay putting an abandoned item back (attempt reset to 1);
 * - `retry`: a retry scheduled by the retrier (attempt + 1, or a deferral of the same attempt).
 */
export interface WorkFact extends FactBase {
  kind: 'work';
  attempt: number;
  deferrals: number;
  phase: 'submission' | 'retry' | 'replay';
  /**
   * Time the item waited between its previous failure and this retry reaching the
   * work topic, in ms. Only on `retry` (a replay waits for an operator, not for the policy).
   */
  retryWaitMs?: number;
}

/** One failed attempt (WorkFailed). */
export interface FailedFact extends FactBase {
  kind: 'failed';
  attempt: number;
  deferrals: number;
  failure: FailureMark;
}

/** One successful attempt (WorkSucceeded). */
export interface SucceededFact extends FactBase {
  kind: 'succeeded';
  attempt: number;
  completedAtMs: number;
}

/** The item was given up (WorkAbandoned): once per epoch. */
export interface AbandonedFact extends FactBase {
  kind: 'abandoned';
  /** MAX_ATTEMPTS, NOT_RETRYABLE or CIRCUIT_OPEN. */
  reason: string;
  /** Type of the last failure. */
  failureType: string;
  detail: string;
  abandonedAtMs: number;
}

/**
 * The identity under which a fact counts once. Redelivered or re-emitted events
 * (at-least-once producers, replays of the topic) map to the same id:
 * - work and failed: the attempt identity `(replayId, attempt, deferrals)`;
 * - succeeded: `(replayId, attempt)` (a success carries no deferral count);
 * - abandoned: the epoch `replayId` (an epoch ends in at most one abandonment).
 * The item id is not part of it: facts are deduplicated per item.
 */
export function factId(fact: ItemFact): string {
  switch (fact.kind) {
    case 'work':
      return `w|${fact.replayId}|${fact.attempt}|${fact.deferrals}`;
    case 'failed':
      return `f|${fact.replayId}|${fact.attempt}|${fact.deferrals}`;
    case 'succeeded':
      return `s|${fact.replayId}|${fact.attempt}`;
    case 'abandoned':
      return `a|${fact.replayId}`;
  }
}
