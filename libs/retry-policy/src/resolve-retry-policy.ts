import { isBuiltInFailureType } from '@workpipe/contracts';
import type { z } from 'zod';
import { InvalidRetryPolicyError } from './errors/invalid-retry-policy-error';
import type { FailureTypePolicy } from './failure-type-policy';
import type { RetryPolicy } from './retry-policy';
import {
  DEFAULT_CUSTOM_FAILURE_TYPE_POLICY,
  DEFAULT_FAILURE_TYPE_POLICIES,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MIN_DELAY_MS,
  DEFAULT_TIME_SCALE,
} from './retry-policy-defaults';
import {
  FailureTypePolicyOverrideSchema,
  type RetryPolicyOverrides,
  RetryPolicyOverridesSchema,
} from './retry-policy-overrides.schema';

/** Default name of the overrides in error messages: the environment variable that holds them. */
export const RETRY_POLICY_SOURCE = 'RETRY_POLICY';

/** Settings that apply to every failure type. */
export interface ResolveRetryPolicyOptions {
  /**
   * Multiplier on every delay, floor and cap, in (0, 1]; 0.001 turns 60 s into 60 ms for demos
   * and tests. Unitless. Default {@link DEFAULT_TIME_SCALE} (1).
   */
  timeScale?: number;
  /**
   * Ceiling on every type's `maxDelayMs`, in milliseconds: no item sleeps longer, whatever its
   * type or its downstream's Retry-After. Positive integer. Default {@link DEFAULT_MAX_DELAY_MS} (1 h).
   */
  maxDelayMs?: number;
  /**
   * Floor on every retry delay, in milliseconds. Non-negative integer.
   * Default {@link DEFAULT_MIN_DELAY_MS} (1 s).
   */
  minDelayMs?: number;
  /**
   * Name of the overrides in error messages. Default {@link RETRY_POLICY_SOURCE} (`RETRY_POLICY`).
   */
  source?: string;
}

/**
 * Reads the JSON text of the overrides (the `RETRY_POLICY` environment variable). Empty or
 * absent text means "no overrides".
 * @throws InvalidRetryPolicyError when the text is not JSON or does not match the schema
 */
export function parseRetryPolicyOverrides(
  json: string | undefined,
  source: string = RETRY_POLICY_SOURCE,
): RetryPolicyOverrides {
  if (json === undefined || json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InvalidRetryPolicyError([`${source} is not valid JSON: ${(error as Error).message}`]);
  }
  return validateOverrides(value, source);
}

/**
 * Merges configuration over the built-in table. Per field, the most specific value wins:
 * the type's override, then its built-in row (or the custom-type default for a custom type);
 * each row's `maxDelayMs` is then lowered to the policy-wide ceiling.
 * @param overrides per-type overrides, already parsed from JSON (validated here); default none
 * @throws InvalidRetryPolicyError naming the first bad setting(s)
 */
export function resolveRetryPolicy(
  overrides: unknown = {},
  options: ResolveRetryPolicyOptions = {},
): RetryPolicy {
  const source = options.source ?? RETRY_POLICY_SOURCE;
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE;
  const ceilingMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const minDelayMs = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;

  const problems: string[] = [];
  if (!(Number.isFinite(timeScale) && timeScale > 0 && timeScale <= 1)) {
    problems.push(`timeScale must be a number in (0, 1], got ${String(timeScale)}`);
  }
  if (!(Number.isSafeInteger(ceilingMs) && ceilingMs > 0)) {
    problems.push(`maxDelayMs must be a positive integer, got ${String(ceilingMs)}`);
  }
  if (!(Number.isSafeInteger(minDelayMs) && minDelayMs >= 0)) {
    problems.push(`minDelayMs must be a non-negative integer, got ${String(minDelayMs)}`);
  }
  if (problems.length > 0) throw new InvalidRetryPolicyError(problems);

  const parsed = validateOverrides(overrides, source);

  const withCeiling = (row: FailureTypePolicy): FailureTypePolicy =>
    Object.freeze({ ...row, maxDelayMs: Math.min(row.maxDelayMs, ceilingMs) });

  const types: Record<string, FailureTypePolicy> = {};
  for (const [type, row] of Object.entries(DEFAULT_FAILURE_TYPE_POLICIES)) {
    types[type] = withCeiling(row);
  }
  for (const [type, override] of Object.entries(parsed)) {
    const base = isBuiltInFailureType(type)
      ? DEFAULT_FAILURE_TYPE_POLICIES[type]
      : DEFAULT_CUSTOM_FAILURE_TYPE_POLICY;
    types[type] = withCeiling({ ...base, ...override });
  }

  return Object.freeze({
    types: Object.freeze(types),
    customTypeDefault: withCeiling(DEFAULT_CUSTOM_FAILURE_TYPE_POLICY),
    timeScale,
    minDelayMs,
  });
}

function validateOverrides(value: unknown, source: string): RetryPolicyOverrides {
  const result = RetryPolicyOverridesSchema.safeParse(value);
  if (result.success) return result.data;
  // A Set: zod may report the same field twice (e.g. -1.5 is neither an integer nor positive).
  const problems = new Set(result.error.issues.map((issue) => describeIssue(issue, source)).flat());
  throw new InvalidRetryPolicyError([...problems]);
}

const SETTINGS = Object.keys(FailureTypePolicyOverrideSchema.shape).join(', ');

function describeIssue(issue: z.core.$ZodIssue, source: string): string[] {
  const path = [source, ...issue.path.map(String)].join('.');
  if (issue.path.length === 0) {
    return [`${source} must be a JSON object mapping failure types to settings`];
  }
  switch (issue.code) {
    case 'invalid_key':
      return [`${path} is not a valid failure type (UPPER_SNAKE_CASE, 2-64 characters)`];
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${path}.${key} is not a setting (expected one of ${SETTINGS})`);
    case 'invalid_type':
      if (issue.path.length === 1) return [`${path} must be an object of settings`];
      return [`${path} ${issue.message}`];
    default:
      return [`${path} ${issue.message}`];
  }
}
