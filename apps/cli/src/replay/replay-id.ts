import { UsageError } from '../errors/usage-error';

/** Replay ids go into Redis keys, Kafka headers and command lines: no `:` (a key separator), no spaces. */
export const REPLAY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * A replay id for a replay started without `--replay-id`: readable, sortable by
 * time, e.g. `rp-20250314-091502-4f9c2a`.
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

/** @throws UsageError naming `flag` for an id that does not match {@link REPLAY_ID_PATTERN} */
export function parseReplayId(text: string, flag: string, hint: string): string {
  const id = text.trim();
  if (!REPLAY_ID_PATTERN.test(id) || id === 'done') {
    throw new UsageError(
      `${flag} must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (and not "done"), got "${text}"`,
      hint,
    );
  }
  return id;
}
