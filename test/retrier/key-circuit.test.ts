import request from 'supertest';
import type { AttemptRecord } from '@workpipe/contracts';
import { waitFor } from '../support/wait-for';
import { RetrierRig, type Decision, type FailureSpec } from './support/retrier-rig';

/**
 * The retrier's per-key circuit (apps/retrier/src/scheduling/key-circuit.ts)
 * on the real stack: failed attempts published to the failed topic as the
 * processor publishes them, a real retrier, and what it wrote to the delay
 * topics and the dead letters read back.
 *
 * TIME_SCALE=0.001 makes the policy's delays milliseconds (retries fire at
 * once, nothing is held at shutdown) and divides KEY_CIRCUIT_WINDOW and
 * KEY_CIRCUIT_COOLDOWN by 1000 too: `10h` is 36 s, generous for the few
 * round trips a test needs within it.
 */
const FAST = { TIME_SCALE: '0.001', DELAY_TIERS: '1s,5s' };

const failure = (key: string, n: number, extra: Partial<FailureSpec> = {}): FailureSpec => ({
  key,
  itemId: `${key}-item-${n}`,
  message: `HTTP 503 for ${key} #${n}`,
  ...extra,
});

/** Failed attempts one after the other, each decided before the next is published. */
async function failInTurn(rig: RetrierRig, specs: FailureSpec[]): Promise<Decision[]> {
  const decisions: Decision[] = [];
  for (const spec of specs) decisions.push(...(await rig.fail(spec)));
  return decisions;
}

function retried(decision: Decision | undefined): Extract<Decision, { kind: 'retry' }> {
  expect(decision?.kind).toBe('retry');
  return decision as Extract<Decision, { kind: 'retry' }>;
}

function abandoned(decision: Decision | undefined): Extract<Decision, { kind: 'abandoned' }> {
  expect(decision?.kind).toBe('abandoned');
  return decision as Extract<Decision, { kind: 'abandoned' }>;
}

describe('per-key circuit, KEY_CIRCUIT_MODE=abandon', () => {
  let rig: RetrierRig;

  beforeAll(async () => {
    rig = await RetrierRig.start('keycircuit-abandon', {
      ...FAST,
      KEY_CIRCUIT_FAILURES: '3',
      KEY_CIRCUIT_WINDOW: '10h',
      KEY_CIRCUIT_COOLDOWN: '10h',
      KEY_CIRCUIT_MODE: 'abandon',
    });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('isolates a key after KEY_CIRCUIT_FAILURES failures in a row within the window: its failing items are abandoned CIRCUIT_OPEN with the isolation detail', async () => {
    const key = 'PF-ISOLATED';
    const cooldownMs = rig.config.retry.keyCircuitCooldownMs;
    // Three items of the key fail once each: the third failure isolates the key, and is itself retried by the policy.
    const before = await failInTurn(rig, [1, 2, 3].map((n) => failure(key, n)));
    for (const decision of before) expect(retried(decision).item).toMatchObject({ key, attempt: 2 });
    const opening = before[2] as Decision;

    // While isolated: a new item of the key, and the retry of an earlier one, fail again.
    const fourth = abandoned((await rig.fail(failure(key, 4)))[0]);
    const firstAgain = abandoned(
      (await rig.fail(failure(key, 1, { attempt: 2, history: retried(before[0]).item.history, message: `HTTP 503 for ${key} #1, again` })))[0],
    );
    // Another key is not affected.
    const other = retried((await rig.fail(failure('PF-HEALTHY', 1)))[0]);
    expect(other.item).toMatchObject({ key: 'PF-HEALTHY', attempt: 2 });

    for (const dead of [fourth, firstAgain]) {
      expect(dead.event.reason).toBe('CIRCUIT_OPEN');
      const match = /^key PF-ISOLATED is isolated until (\S+) after repeated failures$/.exec(dead.event.detail);
      expect(match).not.toBeNull();
      // Isolated for the cool-down from the moment the third failure was decided.
      const until = Date.parse(match?.[1] as string);
      expect(until).toBeGreaterThanOrEqual(opening.publishedAt + cooldownMs);
      expect(until).toBeLessThanOrEqual(opening.observedAt + cooldownMs);
    }
    expect(fourth.event.item).toMatchObject({ itemId: `${key}-item-4`, attempt: 1 });
    expect(fourth.event.item.history.map((record) => record.attempt)).toEqual([1]);
    expect(fourth.event.lastFailure).toMatchObject({ type: 'API_ERROR', message: `HTTP 503 for ${key} #4` });
    expect(firstAgain.event.item).toMatchObject({ itemId: `${key}-item-1`, attempt: 2 });
    expect(firstAgain.event.item.history.map((record) => record.attempt)).toEqual([1, 2]);

    // One outcome per failure, nothing else: read both topics to their end.
    await rig.caughtUp();
    expect(rig.abandoned?.values().map((event) => event.item.itemId)).toEqual([`${key}-item-4`, `${key}-item-1`]);
    expect(rig.retries().map((event) => event.value.itemId).sort()).toEqual(
      ['PF-HEALTHY-item-1', `${key}-item-1`, `${key}-item-2`, `${key}-item-3`].sort(),
    );
  });
});

describe('per-key circuit, KEY_CIRCUIT_MODE=park', () => {
  let rig: RetrierRig;

  beforeAll(async () => {
    rig = await RetrierRig.start('keycircuit-park', {
      ...FAST,
      KEY_CIRCUIT_FAILURES: '3',
      KEY_CIRCUIT_WINDOW: '10h', // 36 s
      KEY_CIRCUIT_COOLDOWN: '3h', // 10.8 s: the test waits for the parked retry to fire
      KEY_CIRCUIT_MODE: 'park',
    });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('parks the failing item of an isolated key until the cool-down ends, as the same attempt, then retries it by the policy', async () => {
    const key = 'PF-PARKED';
    const cooldownMs = rig.config.retry.keyCircuitCooldownMs;
    const before = await failInTurn(rig, [1, 2, 3].map((n) => failure(key, n)));
    for (const decision of before) expect(retried(decision).item).toMatchObject({ attempt: 2 });
    const opening = before[2] as Decision;

    // An item of the isolated key fails its second attempt.
    const firstFailure: AttemptRecord = {
      attempt: 1,
      failure: { type: 'API_ERROR', message: 'HTTP 503 earlier', retryable: true },
      failedAt: new Date().toISOString(),
    };
    const parked = retried((await rig.fail(failure(key, 4, { attempt: 2, history: [firstFailure] })))[0]);
    expect(parked.item).toMatchObject({ itemId: `${key}-item-4`, attempt: 2 });
    expect(parked.item.history.map((record) => record.attempt)).toEqual([1, 2]);
    // Due when the cool-down that the third failure started ends, not after the policy's delay.
    expect(parked.dueAt).toBeGreaterThanOrEqual(opening.publishedAt + cooldownMs);
    expect(parked.dueAt).toBeLessThanOrEqual(opening.observedAt + cooldownMs);

    // It comes back on the work topic at the end of the cool-down, still attempt 2.
    const fired = await waitFor(() => rig.work?.events.find((event) => event.value.itemId === `${key}-item-4`), {
      timeoutMs: cooldownMs + 60_000,
      intervalMs: 50,
      description: 'the parked retry on the work topic',
    });
    expect(fired.timestamp).toBeGreaterThanOrEqual(parked.dueAt);
    expect(fired.value).toMatchObject({ itemId: `${key}-item-4`, attempt: 2 });

    // The cool-down is over: its next failure is the policy's again, and spends the attempt.
    const after = retried(
      (
        await rig.fail(
          failure(key, 4, {
            attempt: 2,
            history: fired.value.history,
            deferrals: fired.value.deferrals,
            message: `HTTP 503 for ${key} #4, after the cool-down`,
          }),
        )
      )[0],
    );
    expect(after.item).toMatchObject({ itemId: `${key}-item-4`, attempt: 3 });
    expect(after.item.history.map((record) => record.attempt)).toEqual([1, 2, 2]);

    await rig.caughtUp();
    expect(rig.abandoned?.values()).toEqual([]);
  });
});

describe('per-key circuit window (KEY_CIRCUIT_WINDOW)', () => {
  let rig: RetrierRig;

  beforeAll(async () => {
    rig = await RetrierRig.start('keycircuit-window', {
      ...FAST,
      KEY_CIRCUIT_FAILURES: '2',
      KEY_CIRCUIT_WINDOW: '90m', // 5.4 s
      KEY_CIRCUIT_COOLDOWN: '10h',
      KEY_CIRCUIT_MODE: 'abandon',
    });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('never isolates a key whose failures are spaced wider than the window', async () => {
    const key = 'PF-SPACED';
    const windowMs = rig.config.retry.keyCircuitWindowMs;
    let last: Decision | undefined;
    for (const n of [1, 2, 3]) {
      if (last) {
        // The window counts from the first failure it holds, decided before `observedAt`.
        const since = last.observedAt;
        await waitFor(() => Date.now() > since + windowMs, { timeoutMs: windowMs + 10_000, description: 'one window since the last failure' });
      }
      last = retried((await rig.fail(failure(key, n)))[0]);
      expect(last.item).toMatchObject({ key, attempt: 2 });
    }
    await rig.caughtUp();
    expect(rig.abandoned?.values().filter((event) => event.item.key === key)).toEqual([]);
    expect(rig.retries().filter((event) => event.value.key === key)).toHaveLength(3);
  });

  it('(control) with the same settings, failures within the window isolate the key', async () => {
    const key = 'PF-BURST';
    // One request: decided one after the other at once, well within the window.
    const decisions = await rig.fail(...[1, 2, 3].map((n) => failure(key, n)));
    expect(decisions.map((decision) => decision.kind)).toEqual(['retry', 'retry', 'abandoned']);
    expect(abandoned(decisions[2]).event).toMatchObject({ reason: 'CIRCUIT_OPEN', item: { itemId: `${key}-item-3` } });
  });
});

describe('KEY_CIRCUIT_FAILURES=0', () => {
  let rig: RetrierRig;

  beforeAll(async () => {
    rig = await RetrierRig.start('keycircuit-off', { ...FAST, KEY_CIRCUIT_FAILURES: '0' });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('turns the per-key circuit off: no run of failures isolates a key, and the successes consumer is not started', async () => {
    const key = 'PF-OFF';
    // More failures in a row than the default (5) would allow, within any window.
    const decisions = await rig.fail(...[1, 2, 3, 4, 5, 6].map((n) => failure(key, n)));
    for (const decision of decisions) expect(retried(decision).item).toMatchObject({ key, attempt: 2 });

    const health = await request(rig.http.getHttpServer()).get('/health').expect(200);
    const consumers = Object.keys(health.body.details.consumers as Record<string, unknown>).filter((name) => name !== 'status');
    expect(consumers.sort()).toEqual(['retrier.delay', 'retrier.failed']);

    const admin = rig.env.kafka().admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
      expect(groups).toEqual(expect.arrayContaining([`${rig.env.topicPrefix}retrier`, `${rig.env.topicPrefix}retrier.delay`]));
      expect(groups).not.toContain(rig.successesGroup);
    } finally {
      await admin.disconnect();
    }

    const redis = rig.env.redis();
    try {
      // Nothing of the circuit in Redis (SCAN, not KEYS: the Redis is shared).
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${rig.env.redisPrefix}retrier:*`, 'COUNT', 500);
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
      expect(found).toEqual([]);
    } finally {
      redis.disconnect();
    }

    await rig.caughtUp();
    expect(rig.abandoned?.values()).toEqual([]);
    expect(rig.retries()).toHaveLength(6);
  });
});

describe('a success resets the key circuit', () => {
  let rig: RetrierRig;

  beforeAll(async () => {
    rig = await RetrierRig.start('keycircuit-reset', {
      ...FAST,
      KEY_CIRCUIT_FAILURES: '3',
      KEY_CIRCUIT_WINDOW: '10h',
      KEY_CIRCUIT_COOLDOWN: '10h',
      KEY_CIRCUIT_MODE: 'abandon',
    });
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('counts failures from zero again after a success of the key on work.succeeded', async () => {
    const key = 'PF-RECOVERS';
    const before = await failInTurn(rig, [1, 2].map((n) => failure(key, n)));
    for (const decision of before) retried(decision);
    // A success of the key, read (and committed) by the retrier's successes consumer.
    await rig.succeed(key, `${key}-ok`);
    // Without the reset the first of these would isolate the key and the second be abandoned.
    const after = await failInTurn(rig, [3, 4, 5, 6].map((n) => failure(key, n)));
    expect(after.map((decision) => decision.kind)).toEqual(['retry', 'retry', 'retry', 'abandoned']);
    // The third failure since the success isolated it: the count did start again from zero.
    expect(abandoned(after[3]).event).toMatchObject({ reason: 'CIRCUIT_OPEN', detail: expect.stringMatching(/^key PF-RECOVERS is isolated until /) });
  });
});
