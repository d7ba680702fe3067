/**
 * A batch id for a file submitted without `--batch-id`: readable, sortable by
 * time, and valid as an identifier, e.g. `cli-20250314-091502-4f9c2a`.
 *
 * @param now epoch milliseconds
 * @param random uniform in [0, 1)
 */
export function generateBatchId(now: number, random: () => number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `cli-${stamp}-${suffix}`;
}
