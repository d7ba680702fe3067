import type { BuiltInFailureType } from '@workpipe/contracts';
import type { FailureTypePolicy } from './failure-type-policy';

/** Policy-wide ceiling on any delay: 1 h. Equal to the top default delay tier, so that tier only
 * ever holds delays of exactly this length and stays strictly first-in first-out. */
export const DEFAULT_MAX_DELAY_MS = 3_600_000;

/** CIRCUIT_OPEN's own cap: 5 min. A circuit breaker half-opens within seconds to minutes, so a
 * deferred item should come back soon after it does; 20 deferrals then span about 87 min. */
export const DEFAULT_CIRCUIT_OPEN_MAX_DELAY_MS = 300_000;

/** ±10 %: enough to spread a burst of items that failed together, small enough that the worked
 * numbers in the docs stay true to within a tenth. */
export const DEFAULT_JITTER_RATIO = 0.1;

/** Floor on any delay: 1 s. Below that a retry is no longer a back-off but a hot loop against a
 * downstream that has just failed. */
export const DEFAULT_MIN_DELAY_MS = 1_000;

/** Real time. Lower it (e.g. 0.001: 60 s becomes 60 ms) only for demos and tests. */
export const DEFAULT_TIME_SCALE = 1;

/** Deferrals allowed to a type that does not consume attempts (CIRCUIT_OPEN) before abandoning. */
export const DEFAULT_MAX_DEFERRALS = 20;

/** Shared by every row, so the table below shows only what differs per type. */
const COMMON = {
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  jitterRatio: DEFAULT_JITTER_RATIO,
  retryable: true,
  consumesAttempt: true,
  maxDeferrals: DEFAULT_MAX_DEFERRALS,
} as const;

/**
 * The retry table. Attempts and base delays come from the batch-processing study that motivated
 * the project (API_ERROR 5x/60 s, TIMEOUT 3x/30 s, EMPTY_REPORT 2x/120 s, PROCESSING_ERROR 2x/180 s,
 * RATE_LIMIT 10x/300 s, AUTHENTICATION 1x/600 s); VALIDATION and CIRCUIT_OPEN are ours.
 * AUTHENTICATION keeps `retryable: true` with a single attempt so that an operator can allow a
 * second try (e.g. after a credential rotation) by configuration alone; its base delay is only
 * used then.
 */
export const DEFAULT_FAILURE_TYPE_POLICIES: Readonly<Record<BuiltInFailureType, FailureTypePolicy>> =
  Object.freeze({
    API_ERROR: Object.freeze({ ...COMMON, maxAttempts: 5, baseDelayMs: 60_000 }),
    TIMEOUT: Object.freeze({ ...COMMON, maxAttempts: 3, baseDelayMs: 30_000 }),
    EMPTY_REPORT: Object.freeze({ ...COMMON, maxAttempts: 2, baseDelayMs: 120_000 }),
    PROCESSING_ERROR: Object.freeze({ ...COMMON, maxAttempts: 2, baseDelayMs: 180_000 }),
    RATE_LIMIT: Object.freeze({ ...COMMON, maxAttempts: 10, baseDelayMs: 300_000 }),
    AUTHENTICATION: Object.freeze({ ...COMMON, maxAttempts: 1, baseDelayMs: 600_000 }),
    // The request itself is wrong: the same request will fail the same way.
    VALIDATION: Object.freeze({ ...COMMON, maxAttempts: 1, baseDelayMs: 60_000, retryable: false }),
    // Turned away by our own breaker before reaching the downstream: no attempt was spent.
    CIRCUIT_OPEN: Object.freeze({
      ...COMMON,
      maxAttempts: 1,
      baseDelayMs: 30_000,
      maxDelayMs: DEFAULT_CIRCUIT_OPEN_MAX_DELAY_MS,
      consumesAttempt: false,
    }),
  });

/** Row used for a handler's own failure types that configuration does not mention: 3 x 60 s. */
export const DEFAULT_CUSTOM_FAILURE_TYPE_POLICY: FailureTypePolicy = Object.freeze({
  ...COMMON,
  maxAttempts: 3,
  baseDelayMs: 60_000,
});
