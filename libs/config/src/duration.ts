import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `5s`, `1m`, `1h` -> milliseconds. */
export const DurationSchema = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h)$/, 'durations look like 250ms, 5s, 1m or 1h')
  .transform((text) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h)$/.exec(text) as RegExpExecArray;
    return Number(amount) * (UNIT_MS[unit as string] as number);
  });

/** Comma-separated, strictly increasing durations: the delay-topic tiers. */
export const DurationListSchema = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(DurationSchema).min(1, 'at least one tier'))
  .refine((tiers) => tiers.every((tier, i) => i === 0 || tier > (tiers[i - 1] as number)), 'tiers must be strictly increasing')
  .refine((tiers) => tiers.every((tier) => tier > 0), 'tiers must be positive');
