import { z } from 'zod';

/** The highest rate a replay may be given, items per second; beyond it a limit is pointless. */
export const MAX_REPLAY_RATE_PER_SECOND = 10_000;

/** How a run goes: all at once or throttled, all of it or a trial first. */
export const PacingSchema = z.object({
  /** Items republished per second at most (a token bucket holding one second's worth); unlimited when absent. */
  ratePerSecond: z.number().positive().max(MAX_REPLAY_RATE_PER_SECOND).optional(),
  /** Republish only this many now; `continue` replays the rest. */
  trial: z.number().int().min(1).max(10_000_000).optional(),
});
export type Pacing = z.infer<typeof PacingSchema>;
