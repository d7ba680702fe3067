import { z } from 'zod';

/**
 * A replay id goes into Redis keys, Kafka headers, URLs and command lines: no
 * `:` (a key separator), no spaces, never starting with `_` or `.`, e.g.
 * `rp-20250314-091502-4f9c2a`. `done` is reserved (a key namespace of old ledgers).
 */
export const REPLAY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const ReplayIdSchema = z
  .string()
  .regex(REPLAY_ID_PATTERN, 'must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((id) => id !== 'done', 'must not be "done"');

/**
 * A replay id for a replay started without one: readable, sortable by time,
 * e.g. `rp-20250314-091502-4f9c2a`.
 *
 * @param now epoch milliseconds
 * @param random uniform in [0, 1)
 */
export function generateReplayId(now: number, random: () => number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `rp-${stamp}-${suffix}`;
}
