import { z } from 'zod';
import type { StatsItemNumbers } from './stats-agreement';

/** The part of a stats answer (`GET /v1/stats`, `GET /v1/batches/:id`) a chaos run reads. */
const StatsAnswerSchema = z.object({
  items: z.object({ submitted: z.number(), pending: z.number(), succeeded: z.number(), abandoned: z.number() }),
});

/** Reads the item numbers of one stats route; throws when the service does not answer 200 with them. */
export async function fetchStatsItems(statsUrl: string, path: string): Promise<StatsItemNumbers> {
  const response = await fetch(`${statsUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return StatsAnswerSchema.parse(await response.json()).items;
}
