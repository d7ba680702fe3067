import type { FailureStatus } from './item-status';

/** What the failures view can be narrowed to; each combination has a sorted set of its own. */
export interface FailureIndexFilter {
  status?: FailureStatus;
  /** The type the item shows in the failures view. */
  type?: string;
  /** The abandonment's reason: abandoned items only. */
  reason?: string;
}

/**
 * Name of the sorted set (member: item id, score: first failure time) holding exactly the
 * failures a filter selects, so a filtered page is one ZRANGEBYSCORE and its total one ZCOUNT:
 *
 * - `fail:all`, `fail:all:<T>`, `fail:<status>`, `fail:<status>:<T>`;
 * - with a reason (abandoned only): `fail:abandoned:reason:<R>`, `fail:abandoned:reason:<R>:<T>`.
 *
 * Types and reasons are UPPER_SNAKE_CASE, so the lower-case `reason` segment cannot be mistaken
 * for a type. `contributionsOf` fills these sets, the `apply-fact` Lua script too (same names).
 */
export function failureIndexName(filter: FailureIndexFilter): string {
  const typed = filter.type === undefined ? '' : `:${filter.type}`;
  if (filter.reason !== undefined) return `fail:abandoned:reason:${filter.reason}${typed}`;
  return `fail:${filter.status ?? 'all'}${typed}`;
}

/** Every index an item shown in the failures view as `status`, `type` (and `reason` when abandoned) belongs to. */
export function failureIndexNames(status: FailureStatus, type: string, reason?: string): string[] {
  const names = [
    failureIndexName({}),
    failureIndexName({ type }),
    failureIndexName({ status }),
    failureIndexName({ status, type }),
  ];
  if (status === 'abandoned' && reason !== undefined) names.push(failureIndexName({ reason }), failureIndexName({ reason, type }));
  return names;
}
