import { z } from 'zod';
import { FAULT_KINDS } from './fault-kind';

/** `npm run chaos`'s settings, from the environment; every one has a default. */
const ChaosSettingsSchema = z.object({
  /** Items submitted. */
  CHAOS_ITEMS: z.coerce.number().int().positive().default(20_000),
  /** Faults injected; the first six are one of each kind, the rest drawn at random. */
  CHAOS_FAULTS: z.coerce.number().int().min(FAULT_KINDS.length).default(12),
  /** Seconds the submission is spread over (the faults fall in its first 80%). */
  CHAOS_SUBMIT_SECONDS: z.coerce.number().positive().default(240),
  /** Items per request (at most 1000). */
  CHAOS_REQUEST_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  /** Processor instances. */
  CHAOS_PROCESSORS: z.coerce.number().int().min(1).max(4).default(2),
  /** How long the pipeline may take to converge after the load, in seconds. */
  CHAOS_CONVERGE_SECONDS: z.coerce.number().positive().default(300),
  /** `1` keeps the run's topics, groups, Redis keys and registry subjects afterwards, to inspect them. */
  CHAOS_KEEP_DATA: z.enum(['0', '1']).default('0'),
});

export type ChaosSettings = z.infer<typeof ChaosSettingsSchema>;

/** Parses the settings; throws with the variable's name on a bad value. */
export function chaosSettings(env: NodeJS.ProcessEnv): ChaosSettings {
  const parsed = ChaosSettingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${String(issue?.path[0])}: ${issue?.message} (got "${env[String(issue?.path[0])]}")`);
}
