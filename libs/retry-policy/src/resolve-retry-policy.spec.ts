import { InvalidRetryPolicyError } from './errors/invalid-retry-policy-error';
import { parseRetryPolicyOverrides, resolveRetryPolicy } from './resolve-retry-policy';
import { policyForType } from './retry-policy';
import { DEFAULT_CUSTOM_FAILURE_TYPE_POLICY, DEFAULT_FAILURE_TYPE_POLICIES } from './retry-policy-defaults';

/** The message of the InvalidRetryPolicyError `run` throws. */
function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRetryPolicyError);
    expect(error).toMatchObject({ name: 'InvalidRetryPolicyError', retryable: false });
    return (error as Error).message;
  }
  throw new Error('expected an InvalidRetryPolicyError');
}

describe('resolveRetryPolicy', () => {
  it('without overrides is the default table at real time', () => {
    const policy = resolveRetryPolicy();
    expect(policy.types).toEqual(DEFAULT_FAILURE_TYPE_POLICIES);
    expect(policy.customTypeDefault).toEqual(DEFAULT_CUSTOM_FAILURE_TYPE_POLICY);
    expect(policy.timeScale).toBe(1);
    expect(policy.minDelayMs).toBe(1_000);
  });

  it('merges an override field by field over the built-in row', () => {
    const policy = resolveRetryPolicy({ API_ERROR: { maxAttempts: 7 } });
    expect(policy.types.API_ERROR).toEqual({ ...DEFAULT_FAILURE_TYPE_POLICIES.API_ERROR, maxAttempts: 7 });
    expect(policy.types.TIMEOUT).toEqual(DEFAULT_FAILURE_TYPE_POLICIES.TIMEOUT);
  });

  it('merges a custom type over the custom-type default', () => {
    const policy = resolveRetryPolicy({ MY_TYPE: { maxAttempts: 4, baseDelayMs: 1_000 } });
    expect(policyForType(policy, 'MY_TYPE')).toEqual({
      ...DEFAULT_CUSTOM_FAILURE_TYPE_POLICY,
      maxAttempts: 4,
      baseDelayMs: 1_000,
    });
    expect(policyForType(policy, 'OTHER_TYPE')).toEqual(DEFAULT_CUSTOM_FAILURE_TYPE_POLICY);
  });

  it('lowers every cap to the policy ceiling but never raises one', () => {
    const policy = resolveRetryPolicy({ MY_TYPE: { maxDelayMs: 9_000_000 } }, { maxDelayMs: 600_000 });
    expect(policy.types.API_ERROR!.maxDelayMs).toBe(600_000);
    expect(policy.types.CIRCUIT_OPEN!.maxDelayMs).toBe(300_000);
    expect(policy.types.MY_TYPE!.maxDelayMs).toBe(600_000);
    expect(policy.customTypeDefault.maxDelayMs).toBe(600_000);
  });

  it('keeps time scale and minimum delay', () => {
    const policy = resolveRetryPolicy({}, { timeScale: 0.001, minDelayMs: 0 });
    expect(policy.timeScale).toBe(0.001);
    expect(policy.minDelayMs).toBe(0);
  });

  it('returns a frozen policy', () => {
    const policy = resolveRetryPolicy({ MY_TYPE: {} });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.types)).toBe(true);
    expect(Object.isFrozen(policy.types.MY_TYPE)).toBe(true);
  });

  it.each([
    [{ API_ERROR: { maxAttempts: 0 } }, 'RETRY_POLICY.API_ERROR.maxAttempts must be a positive integer'],
    [{ API_ERROR: { maxAttempts: 1.5 } }, 'RETRY_POLICY.API_ERROR.maxAttempts must be a positive integer'],
    [{ API_ERROR: { maxAttempts: '7' } }, 'RETRY_POLICY.API_ERROR.maxAttempts must be a positive integer'],
    [{ TIMEOUT: { baseDelayMs: -1 } }, 'RETRY_POLICY.TIMEOUT.baseDelayMs must be a positive integer'],
    [{ TIMEOUT: { maxDelayMs: 0 } }, 'RETRY_POLICY.TIMEOUT.maxDelayMs must be a positive integer'],
    [{ TIMEOUT: { jitterRatio: 1 } }, 'RETRY_POLICY.TIMEOUT.jitterRatio must be a number in [0, 1)'],
    [{ TIMEOUT: { retryable: 'no' } }, 'RETRY_POLICY.TIMEOUT.retryable must be true or false'],
    [{ CIRCUIT_OPEN: { maxDeferrals: -1 } }, 'RETRY_POLICY.CIRCUIT_OPEN.maxDeferrals must be a non-negative integer'],
    [{ API_ERROR: { maxAttempt: 7 } }, 'RETRY_POLICY.API_ERROR.maxAttempt is not a setting (expected one of maxAttempts,'],
    [{ api_error: { maxAttempts: 7 } }, 'RETRY_POLICY.api_error is not a valid failure type (UPPER_SNAKE_CASE'],
    [{ API_ERROR: 7 }, 'RETRY_POLICY.API_ERROR must be an object of settings'],
    [[1, 2], 'RETRY_POLICY must be a JSON object mapping failure types to settings'],
    [null, 'RETRY_POLICY must be a JSON object mapping failure types to settings'],
  ])('rejects %j naming the field', (overrides, message) => {
    expect(problemOf(() => resolveRetryPolicy(overrides))).toContain(message);
  });

  it('reports a field only once even when several checks fail', () => {
    expect(problemOf(() => resolveRetryPolicy({ API_ERROR: { maxAttempts: -1.5 } }))).toBe(
      'RETRY_POLICY.API_ERROR.maxAttempts must be a positive integer',
    );
  });

  it('reports every bad field at once', () => {
    const message = problemOf(() => resolveRetryPolicy({ API_ERROR: { maxAttempts: 0 }, TIMEOUT: { baseDelayMs: 0 } }));
    expect(message).toContain('RETRY_POLICY.API_ERROR.maxAttempts');
    expect(message).toContain('RETRY_POLICY.TIMEOUT.baseDelayMs');
  });

  it('names the source it was given', () => {
    expect(problemOf(() => resolveRetryPolicy({ API_ERROR: { maxAttempts: 0 } }, { source: 'retry' }))).toBe(
      'retry.API_ERROR.maxAttempts must be a positive integer',
    );
  });

  it.each([0, -0.5, 1.5, Number.NaN])('rejects timeScale %f', (timeScale) => {
    expect(problemOf(() => resolveRetryPolicy({}, { timeScale }))).toMatch(/^timeScale must be a number in \(0, 1\]/);
  });

  it('rejects a bad ceiling and a bad minimum delay', () => {
    expect(problemOf(() => resolveRetryPolicy({}, { maxDelayMs: 0 }))).toMatch(/^maxDelayMs must be a positive integer/);
    expect(problemOf(() => resolveRetryPolicy({}, { minDelayMs: -1 }))).toMatch(/^minDelayMs must be a non-negative/);
  });
});

describe('parseRetryPolicyOverrides', () => {
  it('reads the JSON of the RETRY_POLICY variable', () => {
    expect(
      parseRetryPolicyOverrides('{"API_ERROR":{"maxAttempts":7},"MY_TYPE":{"maxAttempts":4,"baseDelayMs":1000}}'),
    ).toEqual({ API_ERROR: { maxAttempts: 7 }, MY_TYPE: { maxAttempts: 4, baseDelayMs: 1_000 } });
  });

  it.each([undefined, '', '   '])('treats %j as no overrides', (text) => {
    expect(parseRetryPolicyOverrides(text)).toEqual({});
  });

  it('rejects text that is not JSON, naming the variable', () => {
    expect(problemOf(() => parseRetryPolicyOverrides('{API_ERROR: 7}'))).toMatch(/^RETRY_POLICY is not valid JSON/);
  });

  it('validates what it parsed', () => {
    expect(problemOf(() => parseRetryPolicyOverrides('{"RATE_LIMIT":{"maxAttempts":0}}'))).toBe(
      'RETRY_POLICY.RATE_LIMIT.maxAttempts must be a positive integer',
    );
  });
});
