import { randomInt } from 'node:crypto';
import { z } from 'zod';

const SeedSchema = z.coerce.number().int().min(0).max(2 ** 31 - 1);

/** The seed of a chaos run: `CHAOS_SEED` when set (a non-negative integer), else a fresh random one (printed, so a run can be repeated). */
export function chaosSeed(setting: string | undefined): number {
  if (setting === undefined || setting.trim() === '') return randomInt(0, 2 ** 31 - 1);
  const parsed = SeedSchema.safeParse(setting.trim());
  if (!parsed.success) throw new Error(`CHAOS_SEED must be a non-negative integer below 2^31, got "${setting}"`);
  return parsed.data;
}
