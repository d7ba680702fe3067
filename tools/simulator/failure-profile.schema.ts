import { z } from 'zod';
import { FaultSchema, OutcomeSchema, type Fault } from './outcome';
import { PORTFOLIO_COUNT, PortfolioIdSchema, isKnownPortfolioId } from './portfolios';

/** Share of first calls that fail, as in the incident report (57% success, so 43% failures). */
export const DEFAULT_FIRST_CALL_FAULT_RATE = 0.43;

/** Share of later calls (retries) that fail: the API is flaky, not down, so retries mostly succeed. */
export const DEFAULT_RETRY_FAULT_RATE = 0.25;

/**
 * Relative weights of the faults among failing first calls (they need not sum to 100).
 * 500s dominate, as in the incident's failure statistics. 401s are kept rare (2, not
 * the 5 first sketched) because the retry policy abandons every 401 at once: at 5 they
 * alone cost ~2 of the 104 portfolios per run, which with the 3 problematic portfolios
 * puts the >= 95% target out of reach for most seeds.
 */
export const DEFAULT_FAULT_MIX: Readonly<Partial<Record<Fault, number>>> = Object.freeze({
  server_error: 42,
  timeout: 20,
  rate_limited: 16,
  empty_report: 15,
  unauthorized: 2,
  malformed: 5,
});

/**
 * Relative weights of the faults among failing retries: transient faults only. An empty
 * report, a malformed body or a 401 comes from the state of the report or the session
 * at the first call; what still goes wrong on a retry of a flaky API is the
 * infrastructure (500, timeout, 429). Scripts cover the other sequences in tests.
 */
export const DEFAULT_RETRY_FAULT_MIX: Readonly<Partial<Record<Fault, number>>> = Object.freeze({
  server_error: 55,
  timeout: 20,
  rate_limited: 25,
});

/** How many "problematic portfolios" fail on every call by default. */
export const DEFAULT_ALWAYS_FAILING_COUNT = 3;

/** The fault the problematic portfolios answer with, unless given per portfolio. */
export const DEFAULT_ALWAYS_FAILING_FAULT: Fault = 'server_error';

/** Seconds announced in `Retry-After` on a simulated 429. */
export const DEFAULT_RETRY_AFTER_SECONDS = 2;

/** How long a `timeout` holds the response before giving up with a 504, in milliseconds. */
export const DEFAULT_TIMEOUT_HOLD_MS = 30_000;

/** Latency range of every answered call, in milliseconds, inclusive. */
export const DEFAULT_LATENCY_MS: readonly [number, number] = [5, 30];

const RateSchema = z.number().min(0, 'must be >= 0').max(1, 'must be <= 1');

/** Relative weights per fault; keys are fault names, at least one weight must be positive. */
export const FaultMixSchema = z
  .partialRecord(FaultSchema, z.number().min(0, 'weight must be >= 0'))
  .refine((mix) => Object.values(mix).some((weight) => (weight ?? 0) > 0), {
    message: 'at least one fault needs a positive weight',
  });

export type FaultMix = z.infer<typeof FaultMixSchema>;

const KnownPortfolioIdSchema = PortfolioIdSchema.refine(isKnownPortfolioId, {
  message: `unknown portfolio id (known: PF-0001..PF-${String(PORTFOLIO_COUNT).padStart(4, '0')})`,
});

/** One problematic portfolio, with the fault it always answers. */
export const AlwaysFailingEntrySchema = z.strictObject({
  portfolioId: KnownPortfolioIdSchema,
  fault: FaultSchema,
});

/**
 * The problematic portfolios that fail every call: a count (picked among the 104
 * by the seed, answering `alwaysFailingFault`), or a list of ids or
 * `{ portfolioId, fault }` entries.
 */
export const AlwaysFailingSchema = z.union([
  z.number().int().min(0).max(PORTFOLIO_COUNT),
  z.array(z.union([KnownPortfolioIdSchema, AlwaysFailingEntrySchema])),
]);

/**
 * What the simulated downstream does, call by call. Strict: an unknown key is an
 * error, so a typo (`firstCallFailureRate`) does not silently fall back to a default.
 */
export const FailureProfileSchema = z
  .strictObject({
    /** Label shown in logs and `/admin/stats`. Default `custom`. */
    name: z.string().min(1).default('custom'),
    /** Probability (0..1) that a portfolio's first call fails. Default 0.43. */
    firstCallFaultRate: RateSchema.default(DEFAULT_FIRST_CALL_FAULT_RATE),
    /** Probability (0..1) that a later call (a retry) fails. Default 0.25. */
    retryFaultRate: RateSchema.default(DEFAULT_RETRY_FAULT_RATE),
    /** Weights of the faults among failing first calls. Default {@link DEFAULT_FAULT_MIX}. */
    faultMix: FaultMixSchema.default({ ...DEFAULT_FAULT_MIX }),
    /** Weights of the faults among failing retries. Default {@link DEFAULT_RETRY_FAULT_MIX}. */
    retryFaultMix: FaultMixSchema.default({ ...DEFAULT_RETRY_FAULT_MIX }),
    /** Problematic portfolios that fail every call: a count or a list. Default 3. */
    alwaysFailing: AlwaysFailingSchema.default(DEFAULT_ALWAYS_FAILING_COUNT),
    /** Fault of the problematic portfolios given by count or bare id. Default `server_error`. */
    alwaysFailingFault: FaultSchema.default(DEFAULT_ALWAYS_FAILING_FAULT),
    /**
     * Forced outcomes per portfolio: `script["PF-0007"][n - 1]` is the outcome of
     * PF-0007's n-th call. Past the end of the list the profile decides. Default `{}`.
     */
    script: z.record(KnownPortfolioIdSchema, z.array(OutcomeSchema)).default({}),
    /** Seconds in `Retry-After` (and `X-RateLimit-Reset`) of a simulated 429. Default 2. */
    retryAfterSeconds: z.number().int().min(0).max(86_400).default(DEFAULT_RETRY_AFTER_SECONDS),
    /** Milliseconds a `timeout` holds the response before answering 504. Default 30000. */
    timeoutHoldMs: z.number().int().min(0).default(DEFAULT_TIMEOUT_HOLD_MS),
    /** `[min, max]` latency of answered calls in milliseconds, inclusive. Default [5, 30]. */
    latencyMs: z
      .tuple([z.number().int().min(0), z.number().int().min(0)])
      .refine(([min, max]) => min <= max, { message: 'latencyMs must be [min, max] with min <= max' })
      .default([DEFAULT_LATENCY_MS[0], DEFAULT_LATENCY_MS[1]]),
  })
  .superRefine((profile, context) => {
    // A list of problematic portfolios must not name one twice with two different faults.
    if (Array.isArray(profile.alwaysFailing)) {
      const seen = new Set<string>();
      profile.alwaysFailing.forEach((entry, index) => {
        const portfolioId = typeof entry === 'string' ? entry : entry.portfolioId;
        if (seen.has(portfolioId)) {
          context.addIssue({
            code: 'custom',
            path: ['alwaysFailing', index],
            message: `${portfolioId} is listed twice`,
          });
        }
        seen.add(portfolioId);
      });
    }
  });

/** A parsed profile: every field present. */
export type FailureProfile = z.infer<typeof FailureProfileSchema>;

/** What a JSON file or a test may give: every field optional. */
export type FailureProfileInput = z.input<typeof FailureProfileSchema>;
