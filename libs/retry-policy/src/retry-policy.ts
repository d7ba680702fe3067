import type { FailureTypePolicy } from './failure-type-policy';

/**
 * A resolved retry policy: the table with configuration merged in, and the settings that apply
 * to every type. Build it with `resolveRetryPolicy`; `decide` only reads it.
 */
export interface RetryPolicy {
  /** One row per built-in type and per custom type named in configuration. */
  readonly types: Readonly<Record<string, FailureTypePolicy>>;
  /** Row for a custom type configuration does not name. Default: 3 attempts, 60 s base. */
  readonly customTypeDefault: FailureTypePolicy;
  /**
   * Multiplier applied to every delay, floor and cap, in (0, 1]. Unitless. Default 1.
   */
  readonly timeScale: number;
  /**
   * Floor on every retry delay, in milliseconds, before time scaling. Default 1 000.
   */
  readonly minDelayMs: number;
}

/** The row that governs `type`: its own, or the custom-type default. */
export function policyForType(policy: RetryPolicy, type: string): FailureTypePolicy {
  return Object.hasOwn(policy.types, type) ? policy.types[type] : policy.customTypeDefault;
}
