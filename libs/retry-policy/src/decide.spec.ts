import { decide, type RetryDecision } from './decide';
import { InvalidRetryInputError } from './errors/invalid-retry-input-error';
import { resolveRetryPolicy } from './resolve-retry-policy';

const policy = resolveRetryPolicy();
/** random() = 0.5 gives the jitter factor 1, i.e. the un-jittered delay. */
const middle = () => 0.5;
const lowest = () => 0;
const highest = () => 0.999_999;

const failure = (type: string, extra: { retryable?: boolean; retryAfterMs?: number } = {}) => ({
  type,
  retryable: extra.retryable ?? true,
  ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
});

const retry = (delayMs: number, nextAttempt: number, consumesAttempt = true): RetryDecision => ({
  action: 'retry',
  delayMs,
  nextAttempt,
  consumesAttempt,
});

/** Runs an item through failures of one type until it is abandoned; returns the delays. */
function delaysUntilAbandon(type: string, random = middle): { delays: number[]; outcome: RetryDecision } {
  const delays: number[] = [];
  for (let attempt = 1; attempt <= 100; attempt++) {
    const decision = decide(failure(type), attempt, policy, random);
    if (decision.action === 'abandon') return { delays, outcome: decision };
    expect(decision.nextAttempt).toBe(attempt + 1);
    delays.push(decision.delayMs);
  }
  throw new Error('never abandoned');
}

describe('decide: the formula with worked numbers (no jitter)', () => {
  it.each([
    ['API_ERROR', [60_000, 120_000, 240_000, 480_000]],
    ['TIMEOUT', [30_000, 60_000]],
    ['EMPTY_REPORT', [120_000]],
    ['PROCESSING_ERROR', [180_000]],
    ['RATE_LIMIT', [300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000]],
    ['AUTHENTICATION', []],
    ['MY_CUSTOM_TYPE', [60_000, 120_000]],
  ])('%s retries after %j ms, then abandons with MAX_ATTEMPTS', (type, expected) => {
    const { delays, outcome } = delaysUntilAbandon(type);
    expect(delays).toEqual(expected);
    expect(outcome).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
  });

  it('abandons API_ERROR exactly at attempt 5 and retries attempt 4 as attempt 5', () => {
    expect(decide(failure('API_ERROR'), 4, policy, middle)).toEqual(retry(480_000, 5));
    expect(decide(failure('API_ERROR'), 5, policy, middle)).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
    expect(decide(failure('API_ERROR'), 6, policy, middle)).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
  });

  it('abandons AUTHENTICATION at the first failure', () => {
    expect(decide(failure('AUTHENTICATION'), 1, policy, middle)).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
  });

  it('counts attempts across types: a TIMEOUT at attempt 3 abandons even after API_ERRORs', () => {
    expect(decide(failure('TIMEOUT'), 3, policy, middle)).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
  });
});

describe('decide: caps', () => {
  it('caps the exponential delay at maxDelayMs (RATE_LIMIT attempt 5: 4 800 s -> 3 600 s)', () => {
    expect(decide(failure('RATE_LIMIT'), 5, policy, middle)).toEqual(retry(3_600_000, 6));
  });

  it('keeps the cap after jitter (RATE_LIMIT attempt 9 with the highest draw)', () => {
    expect(decide(failure('RATE_LIMIT'), 9, policy, highest)).toEqual(retry(3_600_000, 10));
  });

  it('still spreads a capped delay downwards (RATE_LIMIT attempt 9 with the lowest draw: 3 240 s)', () => {
    expect(decide(failure('RATE_LIMIT'), 9, policy, lowest)).toEqual(retry(3_240_000, 10));
  });

  it('honours a lower policy ceiling for every type', () => {
    const tight = resolveRetryPolicy({}, { maxDelayMs: 100_000 });
    expect(decide(failure('API_ERROR'), 3, tight, middle)).toEqual(retry(100_000, 4));
  });

  it('does not overflow on huge attempt numbers', () => {
    const generous = resolveRetryPolicy({ API_ERROR: { maxAttempts: 5_000 } });
    expect(decide(failure('API_ERROR'), 4_000, generous, middle)).toEqual(retry(3_600_000, 4_001));
  });
});

describe('decide: jitter', () => {
  it.each([
    [0, 108_000],
    [0.5, 120_000],
    [0.999, 131_976],
  ])('API_ERROR attempt 2 with random() = %f waits %i ms', (draw, expected) => {
    expect(decide(failure('API_ERROR'), 2, policy, () => draw)).toEqual(retry(expected, 3));
  });

  it('stays within ±jitterRatio for any draw', () => {
    for (let i = 0; i < 1_000; i++) {
      const draw = i / 1_000;
      const decision = decide(failure('TIMEOUT'), 1, policy, () => draw);
      expect(decision.action).toBe('retry');
      if (decision.action !== 'retry') return;
      expect(decision.delayMs).toBeGreaterThanOrEqual(27_000);
      expect(decision.delayMs).toBeLessThanOrEqual(33_000);
    }
  });

  it('calls random exactly once when retrying and never when abandoning', () => {
    const random = jest.fn(() => 0.5);
    decide(failure('API_ERROR'), 1, policy, random);
    expect(random).toHaveBeenCalledTimes(1);
    random.mockClear();
    decide(failure('API_ERROR'), 5, policy, random);
    decide(failure('VALIDATION'), 1, policy, random);
    expect(random).not.toHaveBeenCalled();
  });

  it('never goes below the minimum delay', () => {
    const fast = resolveRetryPolicy({ MY_FAST_TYPE: { baseDelayMs: 200 } });
    expect(decide(failure('MY_FAST_TYPE'), 1, fast, lowest)).toEqual(retry(1_000, 2));
  });

  it('rejects a random source outside [0, 1)', () => {
    expect(() => decide(failure('API_ERROR'), 1, policy, () => 1)).toThrow(InvalidRetryInputError);
    expect(() => decide(failure('API_ERROR'), 1, policy, () => -0.1)).toThrow(/random\(\) must return/);
    expect(() => decide(failure('API_ERROR'), 1, policy, () => Number.NaN)).toThrow(InvalidRetryInputError);
  });
});

describe('decide: not retryable', () => {
  it('abandons VALIDATION at once', () => {
    expect(decide(failure('VALIDATION'), 1, policy, middle)).toEqual({ action: 'abandon', reason: 'NOT_RETRYABLE' });
  });

  it('abandons VALIDATION even if the failure claims to be retryable', () => {
    expect(decide(failure('VALIDATION', { retryable: true }), 1, policy, middle)).toEqual({
      action: 'abandon',
      reason: 'NOT_RETRYABLE',
    });
  });

  it.each(['API_ERROR', 'RATE_LIMIT', 'CIRCUIT_OPEN', 'MY_CUSTOM_TYPE'])(
    'abandons a %s failure marked retryable: false, whatever the table says',
    (type) => {
      expect(decide(failure(type, { retryable: false }), 1, policy, middle)).toEqual({
        action: 'abandon',
        reason: 'NOT_RETRYABLE',
      });
    },
  );

  it('says NOT_RETRYABLE rather than MAX_ATTEMPTS when both apply', () => {
    expect(decide(failure('API_ERROR', { retryable: false }), 5, policy, middle)).toEqual({
      action: 'abandon',
      reason: 'NOT_RETRYABLE',
    });
  });
});

describe('decide: Retry-After floor', () => {
  it('waits at least Retry-After even with jitter at its lowest (RATE_LIMIT attempt 1: 270 s -> 400 s)', () => {
    expect(decide(failure('RATE_LIMIT', { retryAfterMs: 400_000 }), 1, policy, lowest)).toEqual(retry(400_000, 2));
  });

  it('keeps the computed delay when it is longer than Retry-After', () => {
    expect(decide(failure('RATE_LIMIT', { retryAfterMs: 10_000 }), 1, policy, middle)).toEqual(retry(300_000, 2));
  });

  it('applies to any failure carrying retryAfterMs (a 503 with Retry-After)', () => {
    expect(decide(failure('API_ERROR', { retryAfterMs: 90_000 }), 1, policy, lowest)).toEqual(retry(90_000, 2));
  });

  it('rounds a fractional Retry-After up, never down', () => {
    expect(decide(failure('API_ERROR', { retryAfterMs: 90_000.2 }), 1, policy, lowest)).toEqual(retry(90_001, 2));
  });

  it('is itself capped by maxDelayMs', () => {
    expect(decide(failure('RATE_LIMIT', { retryAfterMs: 7_200_000 }), 1, policy, lowest)).toEqual(retry(3_600_000, 2));
  });

  it('can be honoured beyond 1 h by raising the RATE_LIMIT cap and the ceiling', () => {
    const patient = resolveRetryPolicy({ RATE_LIMIT: { maxDelayMs: 7_200_000 } }, { maxDelayMs: 7_200_000 });
    expect(decide(failure('RATE_LIMIT', { retryAfterMs: 7_000_000 }), 1, patient, lowest)).toEqual(retry(7_000_000, 2));
  });

  it.each([Number.NaN, -5, Number.POSITIVE_INFINITY])('ignores a nonsensical Retry-After (%f)', (retryAfterMs) => {
    expect(decide(failure('RATE_LIMIT', { retryAfterMs }), 1, policy, middle)).toEqual(retry(300_000, 2));
  });
});

describe('decide: time scale', () => {
  const demo = resolveRetryPolicy({}, { timeScale: 0.001 });

  it('turns 60 s into 60 ms', () => {
    expect(decide(failure('API_ERROR'), 1, demo, middle)).toEqual(retry(60, 2));
  });

  it('scales caps (RATE_LIMIT attempt 6 -> 3 600 ms)', () => {
    expect(decide(failure('RATE_LIMIT'), 6, demo, highest)).toEqual(retry(3_600, 7));
  });

  it('scales the Retry-After floor (400 s -> 400 ms)', () => {
    expect(decide(failure('RATE_LIMIT', { retryAfterMs: 400_000 }), 1, demo, lowest)).toEqual(retry(400, 2));
  });

  it('scales the minimum delay (1 s -> 1 ms)', () => {
    const fastDemo = resolveRetryPolicy({ MY_FAST_TYPE: { baseDelayMs: 1 } }, { timeScale: 0.001 });
    expect(decide(failure('MY_FAST_TYPE'), 1, fastDemo, lowest)).toEqual(retry(1, 2));
  });

  it('does not change attempt counting', () => {
    expect(decide(failure('API_ERROR'), 5, demo, middle)).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
  });
});

describe('decide: CIRCUIT_OPEN', () => {
  it('retries with the same attempt number and says no attempt was consumed', () => {
    expect(decide(failure('CIRCUIT_OPEN'), 3, policy, middle)).toEqual(retry(30_000, 3, false));
  });

  it('backs off with the deferral count: 30 s, 60 s, 120 s, 240 s, then 300 s up to the 20th deferral', () => {
    const delays: number[] = [];
    let deferrals = 0;
    for (;;) {
      const decision = decide(failure('CIRCUIT_OPEN'), 2, policy, middle, { deferrals });
      if (decision.action === 'abandon') {
        expect(decision.reason).toBe('CIRCUIT_OPEN');
        break;
      }
      expect(decision).toMatchObject({ nextAttempt: 2, consumesAttempt: false });
      delays.push(decision.delayMs);
      deferrals += 1;
    }
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, ...Array<number>(16).fill(300_000)]);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBe(5_250_000);
  });

  it('is not stopped by the attempt limit: deferred even at an attempt number above every maxAttempts', () => {
    expect(decide(failure('CIRCUIT_OPEN'), 50, policy, middle, { deferrals: 0 })).toEqual(retry(30_000, 50, false));
  });

  it('abandons with CIRCUIT_OPEN once the deferral bound is reached', () => {
    expect(decide(failure('CIRCUIT_OPEN'), 1, policy, middle, { deferrals: 19 })).toMatchObject({ action: 'retry' });
    expect(decide(failure('CIRCUIT_OPEN'), 1, policy, middle, { deferrals: 20 })).toEqual({
      action: 'abandon',
      reason: 'CIRCUIT_OPEN',
    });
  });

  it('takes its deferral bound from configuration', () => {
    const strict = resolveRetryPolicy({ CIRCUIT_OPEN: { maxDeferrals: 2 } });
    expect(decide(failure('CIRCUIT_OPEN'), 1, strict, middle, { deferrals: 2 })).toEqual({
      action: 'abandon',
      reason: 'CIRCUIT_OPEN',
    });
  });

  it('abandons a custom non-consuming type with MAX_ATTEMPTS', () => {
    const paused = resolveRetryPolicy({ QUOTA_PAUSED: { consumesAttempt: false, maxDeferrals: 1 } });
    expect(decide(failure('QUOTA_PAUSED'), 1, paused, middle, { deferrals: 0 })).toEqual(retry(60_000, 1, false));
    expect(decide(failure('QUOTA_PAUSED'), 1, paused, middle, { deferrals: 1 })).toEqual({
      action: 'abandon',
      reason: 'MAX_ATTEMPTS',
    });
  });
});

describe('decide: custom types', () => {
  it('uses the configured row for a named custom type', () => {
    const configured = resolveRetryPolicy({ MY_TYPE: { maxAttempts: 4, baseDelayMs: 1_000 } });
    expect(decide(failure('MY_TYPE'), 1, configured, middle)).toEqual(retry(1_000, 2));
    expect(decide(failure('MY_TYPE'), 3, configured, middle)).toEqual(retry(4_000, 4));
    expect(decide(failure('MY_TYPE'), 4, configured, middle)).toEqual({ action: 'abandon', reason: 'MAX_ATTEMPTS' });
  });

  it('does not mistake inherited object keys for table rows', () => {
    expect(decide(failure('constructor'), 1, policy, middle)).toEqual(retry(60_000, 2));
  });
});

describe('decide: input checks', () => {
  it.each([0, -1, 1.5, Number.NaN])('rejects attempt %f', (attempt) => {
    expect(() => decide(failure('API_ERROR'), attempt, policy, middle)).toThrow(InvalidRetryInputError);
  });

  it.each([-1, 0.5])('rejects deferrals %f', (deferrals) => {
    expect(() => decide(failure('CIRCUIT_OPEN'), 1, policy, middle, { deferrals })).toThrow(
      /deferrals must be an integer >= 0/,
    );
  });

  it('marks its errors as not retryable', () => {
    try {
      decide(failure('API_ERROR'), 0, policy, middle);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRetryInputError);
      expect(error).toMatchObject({ name: 'InvalidRetryInputError', retryable: false, argument: 'attempt' });
    }
  });
});
