/**
 * Version of what the stats keep in Redis, stored at `stats:layout` by the `apply-fact` script
 * with every chunk it applies. State stored under another layout lacks keys this version reads
 * (an index it added, say) and is discarded and rebuilt from the topics at start-up
 * ({@link StaleStateGuard}), rather than answered wrong.
 *
 * - 1 (no `stats:layout` key): up to the abandon-reason indexes.
 * - 2: `fail:abandoned:reason:<R>[:<T>]` sorted sets, for `GET /v1/failures?reason=`.
 */
export const STATS_LAYOUT = '2';
