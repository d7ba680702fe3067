/**
 * How a service is run for bounded memory. The stats service allocates fast (every event it
 * materializes, every dead letter a replay reads) while its live heap stays near 50 MB; left to
 * itself V8 grows the heap into garbage (RSS ~370 MB during a 200,000 dead-letter replay). Capped
 * at 128 MB of old space with a small young generation, and with two malloc arenas (glibc keeps one
 * per thread otherwise), it peaks near 180 MB (test/replay/replay-memory.test.ts).
 *
 * The same values are written in package.json (`start:stats`) and docker-compose.yml (stats);
 * NODE_OPTIONS or MALLOC_ARENA_MAX set by the user win everywhere.
 */
export const STATS_NODE_OPTIONS = '--max-old-space-size=128 --max-semi-space-size=2';
export const STATS_MALLOC_ARENA_MAX = '2';

/** The environment a service runs with for its memory bounds (none for the other services). */
export function serviceMemoryEnv(app: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (app !== 'stats') return {};
  return { NODE_OPTIONS: base.NODE_OPTIONS ?? STATS_NODE_OPTIONS, MALLOC_ARENA_MAX: base.MALLOC_ARENA_MAX ?? STATS_MALLOC_ARENA_MAX };
}
