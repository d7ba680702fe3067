import { FailureTypeSchema } from '@workpipe/contracts';
import { z } from 'zod';

const positiveInteger = z
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });

/**
 * Settings configuration may change for one failure type; every field is optional and falls
 * back to the built-in row (or the custom-type default). Units as in `FailureTypePolicy`.
 * Unknown fields are rejected, so a typo such as `maxAttempt` stops the service instead of
 * being silently ignored.
 */
export const FailureTypePolicyOverrideSchema = z
  .object({
    maxAttempts: positiveInteger,
    baseDelayMs: positiveInteger,
    maxDelayMs: positiveInteger,
    jitterRatio: z
      .number({ error: 'must be a number in [0, 1)' })
      .min(0, { error: 'must be a number in [0, 1)' })
      .lt(1, { error: 'must be a number in [0, 1)' }),
    retryable: z.boolean({ error: 'must be true or false' }),
    consumesAttempt: z.boolean({ error: 'must be true or false' }),
    maxDeferrals: z
      .number({ error: 'must be a non-negative integer' })
      .int({ error: 'must be a non-negative integer' })
      .min(0, { error: 'must be a non-negative integer' }),
  })
  .partial()
  .strict();

export type FailureTypePolicyOverride = z.infer<typeof FailureTypePolicyOverrideSchema>;

/**
 * Per-type overrides, as given in JSON by the `RETRY_POLICY` environment variable, e.g.
 * `{"API_ERROR":{"maxAttempts":7},"MY_TYPE":{"maxAttempts":4,"baseDelayMs":1000}}`.
 * Keys are failure types (built-in or custom, UPPER_SNAKE_CASE).
 */
export const RetryPolicyOverridesSchema = z.record(FailureTypeSchema, FailureTypePolicyOverrideSchema);

export type RetryPolicyOverrides = z.infer<typeof RetryPolicyOverridesSchema>;
