import { BUILT_IN_FAILURE_TYPES } from '@workpipe/contracts';
import {
  DEFAULT_CIRCUIT_OPEN_MAX_DELAY_MS,
  DEFAULT_CUSTOM_FAILURE_TYPE_POLICY,
  DEFAULT_FAILURE_TYPE_POLICIES,
  DEFAULT_JITTER_RATIO,
  DEFAULT_MAX_DEFERRALS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MIN_DELAY_MS,
  DEFAULT_TIME_SCALE,
} from './retry-policy-defaults';

describe('default retry table', () => {
  it('has a row for every built-in failure type', () => {
    expect(Object.keys(DEFAULT_FAILURE_TYPE_POLICIES).sort()).toEqual([...BUILT_IN_FAILURE_TYPES].sort());
  });

  it.each([
    ['API_ERROR', 5, 60_000],
    ['TIMEOUT', 3, 30_000],
    ['EMPTY_REPORT', 2, 120_000],
    ['PROCESSING_ERROR', 2, 180_000],
    ['RATE_LIMIT', 10, 300_000],
    ['AUTHENTICATION', 1, 600_000],
  ] as const)('%s: %i attempts, %i ms base, retryable, consumes attempts', (type, maxAttempts, baseDelayMs) => {
    expect(DEFAULT_FAILURE_TYPE_POLICIES[type]).toEqual({
      maxAttempts,
      baseDelayMs,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      jitterRatio: 0.1,
      retryable: true,
      consumesAttempt: true,
      maxDeferrals: DEFAULT_MAX_DEFERRALS,
    });
  });

  it('never retries VALIDATION', () => {
    expect(DEFAULT_FAILURE_TYPE_POLICIES.VALIDATION.retryable).toBe(false);
  });

  it('defers CIRCUIT_OPEN 20 times from 30 s, capped at 5 min, without consuming attempts', () => {
    expect(DEFAULT_FAILURE_TYPE_POLICIES.CIRCUIT_OPEN).toMatchObject({
      baseDelayMs: 30_000,
      maxDelayMs: 300_000,
      retryable: true,
      consumesAttempt: false,
      maxDeferrals: 20,
    });
  });

  it('gives custom types 3 attempts from 60 s', () => {
    expect(DEFAULT_CUSTOM_FAILURE_TYPE_POLICY).toMatchObject({ maxAttempts: 3, baseDelayMs: 60_000, retryable: true });
  });

  it('exports the policy-wide constants', () => {
    expect(DEFAULT_MAX_DELAY_MS).toBe(3_600_000);
    expect(DEFAULT_CIRCUIT_OPEN_MAX_DELAY_MS).toBe(300_000);
    expect(DEFAULT_JITTER_RATIO).toBe(0.1);
    expect(DEFAULT_MIN_DELAY_MS).toBe(1_000);
    expect(DEFAULT_TIME_SCALE).toBe(1);
    expect(DEFAULT_MAX_DEFERRALS).toBe(20);
  });

  it('is frozen, so no caller can change the defaults for everyone', () => {
    expect(Object.isFrozen(DEFAULT_FAILURE_TYPE_POLICIES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_FAILURE_TYPE_POLICIES.API_ERROR)).toBe(true);
  });
});
