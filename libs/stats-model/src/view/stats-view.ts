import type { DurationSummary } from '../percentile/percentile';

/**
 * The raw numbers of one scope (overall, or one batch) as stored: the counters
 * hash (see `contributionsOf` and `applyFact` for the names), and what is read
 * from the sorted sets. Produced by the Redis reader and by the in-memory ledger.
 */
export interface ScopeSnapshot {
  counters: Readonly<Record<string, number>>;
  timeToSuccessMs: DurationSummary;
  retryWaitMs: DurationSummary;
  /** createdAt of the oldest pending item, epoch ms. */
  oldestPendingCreatedAtMs: number | null;
  /** First failure of the oldest item failed and waiting for a retry, epoch ms. */
  oldestRetryableFailureAtMs: number | null;
  /** First failure of the oldest item retryable or abandoned, epoch ms. */
  oldestFailureAtMs: number | null;
}

/**
 * What `/v1/stats` and `/v1/batches/:id` answer. Rates are fractions in [0, 1]
 * (0.904 = 90.4%), null while their denominator is 0.
 */
export interface StatsView {
  items: {
    /** Items known (accepted): each counted once, whatever happened to it. */
    submitted: number;
    /** Neither succeeded nor abandoned (includes items failed and waiting for a retry). */
    pending: number;
    succeeded: number;
    abandoned: number;
  };
  succeeded: {
    total: number;
    /** Succeeded without any failure. */
    firstAttempt: number;
    /** Succeeded after at least one failure (retries, deferrals or a replay). */
    afterRetries: number;
    /** Succeeded through an operator replay of an abandoned item. */
    byReplay: number;
    /** Items that succeeded on attempt n of their original life: `{ "1": 94, "2": 4 }`. */
    byAttempt: Record<string, number>;
  };
  failures: {
    /** Failed attempts (one per WorkFailed, duplicates excluded). */
    attempts: number;
    attemptsByType: Record<string, number>;
    /** Items that failed at least once. */
    items: number;
    itemsByType: Record<string, number>;
    /** Items failed and waiting for a retry ("can be reprocessed"). */
    retryable: number;
    /** Failures still standing: retryable + abandoned (the seed's "total accumulated"). */
    outstanding: number;
    /** Failures still standing by type (the abandonment's type, else the last failure's): the seed's "falhas por tipo". */
    outstandingByType: Record<string, number>;
    /** First failure time of the oldest item failed and waiting for a retry, ISO-8601. */
    oldestRetryableFailureAt: string | null;
    /** First failure time of the oldest failure still standing (retryable or abandoned), ISO-8601: the seed's "falha mais antiga". */
    oldestFailureAt: string | null;
  };
  abandoned: {
    total: number;
    byReason: Record<string, number>;
    /** By type of the last failure. */
    byType: Record<string, number>;
    /** Abandoned items of type T / items that had a failure of type T. */
    rateByType: Record<string, number>;
    /** Abandonment events, a re-abandonment after a replay included. */
    events: number;
  };
  retries: {
    /** Work items put back on the work topic: retries, deferrals and replays. */
    scheduled: number;
    replays: number;
    /** Time between a failure and its retry reaching the work topic, in ms. */
    waitMs: DurationSummary & { total: number; mean: number | null };
  };
  /** From submission (createdAt) to the success that counts, in ms. */
  timeToSuccessMs: DurationSummary;
  rates: {
    /** succeeded / (succeeded + abandoned): among finished items; the final success rate once pending is 0. */
    success: number | null;
    /** Succeeded first try / items whose first try is known (succeeded first try + failed at least once). */
    firstPassSuccess: number | null;
    /** Succeeded after a failure / items that failed at least once. */
    recovery: number | null;
    /** abandoned / submitted. */
    abandonment: number | null;
    /** (succeeded + abandoned) / submitted. */
    completion: number | null;
  };
  /** createdAt of the oldest pending item, ISO-8601. */
  oldestPendingItemAt: string | null;
  /** Events that repeated one already counted (redeliveries, re-emitted attempts). */
  duplicatesIgnored: number;
  /** Messages that could not be decoded (overall only). */
  invalidEvents: number;
}

export function buildStatsView(snapshot: ScopeSnapshot): StatsView {
  const c = snapshot.counters;
  const n = (name: string): number => c[name] ?? 0;
  const submitted = n('submitted');
  const succeeded = n('succeeded');
  const abandoned = n('abandoned');
  const failedItems = n('failed_items');
  const firstPass = n('succeeded_first_pass');
  const afterFailure = n('succeeded_after_failure');
  const abandonedByType = byPrefix(c, 'abandoned_type:');
  const itemsByType = byPrefix(c, 'failed_items_type:');
  const rateByType: Record<string, number> = {};
  for (const [type, items] of Object.entries(itemsByType)) {
    rateByType[type] = (abandonedByType[type] ?? 0) / items;
  }
  const waitCount = n('retry_wait_count');
  const waitTotal = n('retry_wait_ms_total');
  return {
    items: { submitted, pending: n('pending'), succeeded, abandoned },
    succeeded: {
      total: succeeded,
      firstAttempt: firstPass,
      afterRetries: afterFailure,
      byReplay: n('succeeded_by_replay'),
      byAttempt: byPrefix(c, 'succeeded_attempt:'),
    },
    failures: {
      attempts: n('failed_attempts'),
      attemptsByType: byPrefix(c, 'failed_attempts_type:'),
      items: failedItems,
      itemsByType,
      retryable: n('retryable'),
      outstanding: n('retryable') + abandoned,
      outstandingByType: byPrefix(c, 'outstanding_type:'),
      oldestRetryableFailureAt: iso(snapshot.oldestRetryableFailureAtMs),
      oldestFailureAt: iso(snapshot.oldestFailureAtMs),
    },
    abandoned: {
      total: abandoned,
      byReason: byPrefix(c, 'abandoned_reason:'),
      byType: abandonedByType,
      rateByType,
      events: n('abandonments'),
    },
    retries: {
      scheduled: n('retries_scheduled'),
      replays: n('replays'),
      waitMs: { ...snapshot.retryWaitMs, total: waitTotal, mean: waitCount > 0 ? waitTotal / waitCount : null },
    },
    timeToSuccessMs: snapshot.timeToSuccessMs,
    rates: {
      success: ratio(succeeded, succeeded + abandoned),
      firstPassSuccess: ratio(firstPass, firstPass + failedItems),
      recovery: ratio(afterFailure, failedItems),
      abandonment: ratio(abandoned, submitted),
      completion: ratio(succeeded + abandoned, submitted),
    },
    oldestPendingItemAt: iso(snapshot.oldestPendingCreatedAtMs),
    duplicatesIgnored: n('duplicates'),
    invalidEvents: n('invalid_events'),
  };
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Non-zero counters whose name starts with `prefix`, keyed by the rest of the name. */
export function byPrefix(counters: Readonly<Record<string, number>>, prefix: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const name of Object.keys(counters).sort()) {
    const value = counters[name] ?? 0;
    if (name.startsWith(prefix) && value !== 0) result[name.slice(prefix.length)] = value;
  }
  return result;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
