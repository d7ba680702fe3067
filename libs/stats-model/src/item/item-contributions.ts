import { failureIndexNames } from './failure-index';
import { minuteOf, type ItemState } from './item-state';
import { failureStatusOf, failureViewType, hasFailed, statusOf } from './item-status';

/**
 * What one item adds to the numbers of its scopes (overall, and its batch), as a
 * function of its state alone. Applying a fact moves the scope totals by
 * `contributionsOf(after) - contributionsOf(before)`; so every total is the sum
 * of the contributions of the current item states, and no interleaving of the
 * topics or redelivery can make it drift.
 *
 * Counter names (also the fields of the Redis counters hash):
 * - `submitted`, `pending`, `succeeded`, `abandoned`: items by status;
 * - `succeeded_first_pass`: succeeded without any failure; `succeeded_after_failure`: the others;
 * - `succeeded_attempt:<n>`: succeeded on attempt n of its original life; `succeeded_by_replay`: through a replay;
 * - `failed_items`: items that failed at least once; `failed_items_type:<T>`: ... with a failure of type T;
 * - `retryable`: pending items that failed (waiting for a retry);
 * - `abandoned_reason:<R>`, `abandoned_type:<T>`: abandoned items by reason and type of the last failure;
 * - `outstanding_type:<T>`: items retryable or abandoned, by the type they show in the failures view.
 * Series fields `<epoch minute>:submitted` (by createdAt) and `<minute>:succeeded` (by completedAt).
 * Sorted sets (member: item id): `tts` (time to success, ms), `pending` (createdAt),
 * `fail:all`, `fail:<status>`, `fail:all:<T>`, `fail:<status>:<T>`, and for an abandoned item
 * `fail:abandoned:reason:<R>`, `fail:abandoned:reason:<R>:<T>` (first failure time; see `failureIndexName`).
 */
export interface Contributions {
  counters: Record<string, number>;
  series: Record<string, number>;
  /** Sorted-set name -> score of this item in it. */
  zsets: Record<string, number>;
}

export function contributionsOf(s: ItemState | undefined): Contributions {
  const counters: Record<string, number> = {};
  const series: Record<string, number> = {};
  const zsets: Record<string, number> = {};
  if (!s) return { counters, series, zsets };

  counters.submitted = 1;
  series[`${minuteOf(s.createdAtMs)}:submitted`] = 1;
  const status = statusOf(s);
  const failed = hasFailed(s);
  counters[status] = 1;

  if (status === 'succeeded' && s.success) {
    counters[failed ? 'succeeded_after_failure' : 'succeeded_first_pass'] = 1;
    if (s.success.replayId === '') counters[`succeeded_attempt:${s.success.attempt}`] = 1;
    else counters.succeeded_by_replay = 1;
    series[`${minuteOf(s.success.completedAtMs)}:succeeded`] = 1;
    zsets.tts = s.success.completedAtMs - s.createdAtMs;
  }
  if (failed) {
    counters.failed_items = 1;
    for (const [type, count] of Object.entries(s.failedAttemptsByType)) {
      if (count > 0) counters[`failed_items_type:${type}`] = 1;
    }
  }
  if (status === 'pending') {
    zsets.pending = s.createdAtMs;
    if (failed) counters.retryable = 1;
  }
  if (status === 'abandoned' && s.abandonment) {
    counters[`abandoned_reason:${s.abandonment.reason}`] = 1;
    counters[`abandoned_type:${s.abandonment.failureType}`] = 1;
  }
  const view = failureStatusOf(s);
  if (view) {
    const type = failureViewType(s);
    const score = s.firstFailureAtMs ?? s.abandonment?.atMs ?? s.createdAtMs;
    counters[`outstanding_type:${type}`] = 1;
    for (const name of failureIndexNames(view, type, s.abandonment?.reason)) zsets[name] = score;
  }
  return { counters, series, zsets };
}
