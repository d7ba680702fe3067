import { z } from 'zod';
import type { FailureProfileSource } from './load-failure-profile';

/** Seed of the fault dice when none is given. */
export const DEFAULT_SEED = 42;

/** Host the simulator binds to: loopback only, it is a test double, not a service. */
export const DEFAULT_HOST = '127.0.0.1';

/** Port of `startSimulator` when none is given: 0 = a free port picked by the OS. */
export const DEFAULT_PORT = 0;

/** Port of the CLI (`main.ts`) when none is given. */
export const DEFAULT_CLI_PORT = 4010;

/** Largest accepted `POST /admin/reset` body, in bytes: a profile is a few hundred. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** A seed: any non-negative safe integer. */
export const SeedSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const PortSchema = z.number().int().min(0).max(65_535);

/** Where the simulator writes one line per request; a pino logger fits. */
export interface SimulatorLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/** Options of `startSimulator` (and of the CLI, which maps its flags onto them). */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one (read it back from the handle). Default 0. */
  readonly port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  readonly host?: string;
  /** Seed of the fault dice, a non-negative integer. Default 42. */
  readonly seed?: number;
  /**
   * Failure profile: a preset name (`seed`, `healthy`, `chaos`, `always-<fault>`), inline
   * JSON, a path to a JSON file, or a profile object (may `extends` a preset). Default `seed`.
   */
  readonly profile?: string | FailureProfileSource;
  /**
   * The simulator's own rate limit on report calls, in requests per second (fixed
   * one-second windows); beyond it, 429 with `Retry-After`. Default undefined = off.
   */
  readonly rateLimitPerSecond?: number;
  /** Receives one line per request. Default none (silent, as tests want). */
  readonly logger?: SimulatorLogger;
  /** Clock in milliseconds since the epoch, for the default report date and the rate limit. Default `Date.now`. */
  readonly now?: () => number;
}

/** What `POST /admin/reset` and `handle.reset()` accept; both fields optional. */
export interface SimulatorResetOptions {
  /** New seed. Default: keep the current one. */
  readonly seed?: number;
  /** New failure profile, as in {@link SimulatorOptions.profile}. Default: keep the current one. */
  readonly profile?: string | FailureProfileSource;
}

/** The `POST /admin/reset` body. Profiles over HTTP are preset names or objects, never file paths. */
export const ResetRequestSchema = z.strictObject({
  seed: SeedSchema.optional(),
  profile: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});
