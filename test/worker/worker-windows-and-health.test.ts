import { Controller, type DynamicModule, Module, type INestApplication, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Admin, Producer } from 'kafkajs';
import request from 'supertest';
import type { AppConfig } from '@workpipe/config';
import type { ConsumerSpec, WorkerFailedError, WorkerMessage } from '@workpipe/kafka';
import { createService, RuntimeModule, type ServiceDefinition } from '@workpipe/runtime';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/**
 * The partition worker's windows, commit interval and liveness as a service
 * shows them: a NestJS service (createService + RuntimeModule) with one
 * consumer whose handler the test controls, on the real broker, registry and
 * Redis. Each test starts its own service on its own topics, group and Redis
 * prefix, and removes them afterwards.
 */
const PARTITIONS = 3;

type Handle = (message: WorkerMessage<Buffer>) => Promise<void>;

/** A promise the test opens: a handler that awaits it stays in flight until then. */
interface Gate {
  opened: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The consumer's handler: `handle`, then no outputs. One controller class per service. */
function consumerController(name: string, handle: Handle): Type<unknown> {
  @Controller()
  class ControlledConsumer {
    @EventPattern(name)
    async handle(@Payload() message: WorkerMessage<Buffer>): Promise<[]> {
      await handle(message);
      return [];
    }
  }
  return ControlledConsumer;
}

interface Started {
  env: TestEnv;
  app: INestApplication;
  admin: Admin;
  producer: Producer;
  topic: string;
  groupId: string;
  name: string;
  fatal: WorkerFailedError[];
}

type SpecOverrides = Partial<Omit<ConsumerSpec, 'name' | 'groupId' | 'topics' | 'rejectedTopic'>>;

async function startService(testName: string, overrides: SpecOverrides, handle: Handle): Promise<Started> {
  const env = new TestEnv(testName);
  const name = `test.${testName}`;
  const topic = `${env.topicPrefix}jobs`;
  const groupId = `${env.topicPrefix}${testName}`;
  const definition: ServiceDefinition = {
    service: 'processor',
    description: 'a consumer whose handler the test controls',
    module: (config: AppConfig): DynamicModule => {
      @Module({})
      class ControlledModule {}
      return {
        module: ControlledModule,
        imports: [
          RuntimeModule.forRoot(config, {
            topics: [
              { name: topic, partitions: PARTITIONS, replicationFactor: 1 },
              { name: `${env.topicPrefix}ingest.rejected`, partitions: 1, replicationFactor: 1 },
            ],
            consumers: [
              {
                name,
                groupId,
                topics: [{ topic }],
                mode: 'each',
                commit: 'offsets',
                maxWaitTimeMs: 200,
                rejectedTopic: `${env.topicPrefix}ingest.rejected`,
                ...overrides,
              },
            ],
          }),
        ],
        controllers: [consumerController(name, handle)],
      };
    },
  };
  const fatal: WorkerFailedError[] = [];
  const app = await createService(definition, env.config('processor'), { onFatal: (error) => fatal.push(error) });
  await app.listen(0, '127.0.0.1');
  const kafka = env.kafka();
  const admin = kafka.admin();
  await admin.connect();
  // Idempotent: a retried request never writes a message twice, so the offsets are what the test sent.
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  return { env, app, admin, producer, topic, groupId, name, fatal };
}

async function stopService(started: Started): Promise<void> {
  await started.producer.disconnect().catch(() => undefined);
  await started.admin.disconnect().catch(() => undefined);
  await started.app.close();
  await started.env.cleanup();
}

async function send(started: Started, messages: { partition: number; key: string; value: string }[]): Promise<void> {
  await started.producer.send({ topic: started.topic, messages });
}

/** The group's committed offset per partition ('-1': nothing committed yet). */
async function committed(started: Started): Promise<Record<number, string>> {
  const [offsets] = await started.admin.fetchOffsets({ groupId: started.groupId, topics: [started.topic] });
  return Object.fromEntries((offsets?.partitions ?? []).map((entry) => [entry.partition, entry.offset]));
}

/** One consumer's entry under `details.consumers` of /health. */
interface ConsumerHealth {
  state: string;
  detail?: string;
  partitions: number;
  inFlight: number;
  restarts: number;
}

/** Readiness, this service's consumer as /health shows it, and the indicators that are down. */
async function consumerHealth(started: Started): Promise<{ status: number; consumer?: ConsumerHealth; down: string[] }> {
  const response = await request(started.app.getHttpServer()).get('/health').timeout(5_000);
  // 200 and 503 alike carry every indicator under `details`, each with its `status`.
  const details = (response.body.details ?? {}) as Record<string, { status?: string }>;
  const down = Object.entries(details)
    .filter(([, indicator]) => indicator.status === 'down')
    .map(([indicator]) => indicator);
  const consumers = details.consumers as Record<string, ConsumerHealth> | undefined;
  return { status: response.status, consumer: consumers?.[started.name], down };
}

function sameOffsets(actual: Record<number, string>, expected: Record<number, string>): boolean {
  return JSON.stringify(actual) === JSON.stringify(expected);
}

describe('the partition worker in a service: windows, commit interval, stuck and /health', () => {
  const running: Started[] = [];
  const gates: Gate[] = [];

  afterEach(async () => {
    // Open every gate first, so a stop drains at once instead of waiting for a blocked handler.
    for (const opened of gates.splice(0)) opened.open();
    for (const started of running.splice(0)) await stopService(started);
  });

  it('pauses only the partition whose window is full: the other partitions of the consumer go on being handled and committed', async () => {
    const blocked = gate();
    gates.push(blocked);
    const started: string[] = [];
    const handled: string[] = [];
    const service = await startService('full-window', { windowSize: 5, concurrency: 4 }, async (message) => {
      const value = message.value.toString();
      started.push(value);
      if (value === 'blocked-0') await blocked.opened;
      handled.push(value);
    });
    running.push(service);

    // 20 messages of one key on partition 0, in one request (one fetched batch): the first blocks,
    // the next four wait behind it in the window (5), which is then full, and the partition paused.
    await send(
      service,
      Array.from({ length: 20 }, (_, n) => ({ partition: 0, key: 'blocked', value: `blocked-${n}` })),
    );
    await waitFor(() => started.includes('blocked-0'), { timeoutMs: 30_000, description: 'the blocked message in its handler' });

    // Sent after partition 0 filled its window, in two rounds: each needs fetches of its own.
    for (const round of [1, 2]) {
      await send(
        service,
        [1, 2].flatMap((partition) => Array.from({ length: 10 }, (_, n) => ({ partition, key: `k${partition}-${n}`, value: `r${round}-p${partition}-${n}` }))),
      );
      await waitFor(() => handled.filter((value) => value.startsWith(`r${round}-`)).length === 20, {
        timeoutMs: 30_000,
        description: `round ${round} on partitions 1 and 2 handled while partition 0 is full`,
      });
      const expected = { 0: '-1', 1: String(10 * round), 2: String(10 * round) };
      await waitFor(async () => sameOffsets(await committed(service), expected), {
        timeoutMs: 30_000,
        description: `round ${round} on partitions 1 and 2 committed while partition 0 is full`,
      });
    }
    // Partition 0 meanwhile: only its blocked message started, nothing of it done or committed.
    expect(started.filter((value) => value.startsWith('blocked-'))).toEqual(['blocked-0']);
    expect(handled.filter((value) => value.startsWith('blocked-'))).toEqual([]);

    blocked.open();
    const inOrder = Array.from({ length: 20 }, (_, n) => `blocked-${n}`);
    await waitFor(() => handled.filter((value) => value.startsWith('blocked-')).length === 20, {
      timeoutMs: 30_000,
      description: 'partition 0 handled to its end once released',
    });
    expect(handled.filter((value) => value.startsWith('blocked-'))).toEqual(inOrder);
    await waitFor(async () => sameOffsets(await committed(service), { 0: '20', 1: '20', 2: '20' }), {
      timeoutMs: 30_000,
      description: 'every partition committed to its end',
    });
    expect(service.fatal).toEqual([]);
  });

  it('commits finished work once per commit interval: not right after it is handled, all of it one interval later', async () => {
    const INTERVAL_MS = 5_000;
    const handled: { value: string; at: number }[] = [];
    const service = await startService('commit-interval', { commitIntervalMs: INTERVAL_MS }, async (message) => {
      handled.push({ value: message.value.toString(), at: Date.now() });
    });
    running.push(service);
    const round = (name: string) =>
      Array.from({ length: PARTITIONS }, (_, partition) => [0, 1].map((n) => ({ partition, key: `${name}-${partition}-${n}`, value: `${name}-${partition}-${n}` }))).flat();

    // Round A, committed: the position the group holds before round B.
    await send(service, round('a'));
    await waitFor(async () => sameOffsets(await committed(service), { 0: '2', 1: '2', 2: '2' }), { timeoutMs: 30_000, description: 'round A committed' });

    await send(service, round('b'));
    await waitFor(() => handled.filter(({ value }) => value.startsWith('b-')).length === 6, { timeoutMs: 30_000, description: 'round B handled' });
    // Handled, but the interval (armed when the first of round B finished) has not elapsed: still the old position.
    expect(await committed(service)).toEqual({ 0: '2', 1: '2', 2: '2' });

    const firstHandledAt = Math.min(...handled.filter(({ value }) => value.startsWith('b-')).map(({ at }) => at));
    await waitFor(async () => sameOffsets(await committed(service), { 0: '4', 1: '4', 2: '4' }), {
      timeoutMs: 30_000,
      intervalMs: 50,
      description: 'round B committed, every partition, after one interval',
    });
    // A lower bound only (a busy machine makes it later, never earlier); 50 ms for timer rounding.
    expect(Date.now() - firstHandledAt).toBeGreaterThanOrEqual(INTERVAL_MS - 50);
    expect(handled.map(({ value }) => value).sort()).toEqual([...round('a'), ...round('b')].map(({ value }) => value).sort());
  });

  it('turns readiness red (stuck) while a message is handled longer than stuckAfterMs, and green again once it finishes', async () => {
    const slow = gate();
    gates.push(slow);
    const started: string[] = [];
    const handled: string[] = [];
    const service = await startService('stuck-handling', { stuckAfterMs: 1_500 }, async (message) => {
      started.push(message.value.toString());
      await slow.opened;
      handled.push(message.value.toString());
    });
    running.push(service);
    await waitFor(async () => (await consumerHealth(service)).status === 200, { timeoutMs: 30_000, description: 'readiness green at start' });

    await send(service, [{ partition: 0, key: 'slow', value: 'slow' }]);
    await waitFor(() => started.includes('slow'), { timeoutMs: 30_000, description: 'the slow message in its handler' });
    const stuck = await waitFor(
      async () => {
        const seen = await consumerHealth(service);
        return seen.consumer?.state === 'stuck' && seen;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'the consumer stuck on /health' },
    );
    expect(stuck.status).toBe(503);
    expect(stuck.down).toEqual(['consumers']); // Kafka and Redis are up: the consumer alone turns readiness red
    expect(stuck.consumer?.detail).toMatch(/^offset 0 handled for \d+ ms$/);
    expect(stuck.consumer?.restarts).toBe(0);

    slow.open();
    await waitFor(() => handled.includes('slow'), { timeoutMs: 30_000, description: 'the slow message finished' });
    const green = await waitFor(
      async () => {
        const seen = await consumerHealth(service);
        return seen.status === 200 && seen;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'readiness green again' },
    );
    expect(green.consumer).toMatchObject({ state: 'running', restarts: 0 });
    expect(green.consumer?.detail).toBeUndefined();
    expect(service.fatal).toEqual([]);
  });

  it('turns readiness red (stuck) while a message keeps failing longer than stuckAfterMs, and green again once it succeeds', async () => {
    let failing = true;
    const tries: string[] = [];
    const handled: string[] = [];
    const service = await startService('stuck-failing', { stuckAfterMs: 1_500 }, async (message) => {
      tries.push(message.value.toString());
      // Retryable (a dependency away): retried in place with backoff, never a consumer restart.
      if (failing) throw Object.assign(new Error('the downstream is away'), { retryable: true });
      handled.push(message.value.toString());
    });
    running.push(service);
    await waitFor(async () => (await consumerHealth(service)).status === 200, { timeoutMs: 30_000, description: 'readiness green at start' });

    await send(service, [{ partition: 0, key: 'failing', value: 'failing' }]);
    await waitFor(() => tries.includes('failing'), { timeoutMs: 30_000, description: 'the first try of the failing message' });
    const stuck = await waitFor(
      async () => {
        const seen = await consumerHealth(service);
        return seen.consumer?.state === 'stuck' && seen;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'the consumer stuck on /health' },
    );
    expect(stuck.status).toBe(503);
    expect(stuck.down).toEqual(['consumers']);
    expect(stuck.consumer?.detail).toMatch(/^offset 0 failing for \d+ ms: the downstream is away$/);
    expect(stuck.consumer?.restarts).toBe(0);

    failing = false;
    await waitFor(() => handled.includes('failing'), { timeoutMs: 30_000, description: 'the message handled once it succeeds' });
    const green = await waitFor(
      async () => {
        const seen = await consumerHealth(service);
        return seen.status === 200 && seen;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'readiness green again' },
    );
    expect(green.consumer).toMatchObject({ state: 'running', restarts: 0 });
    expect(service.fatal).toEqual([]);
  });

  it('shows in /health how many messages each consumer has in flight, and how often it restarted', async () => {
    const slow = gate();
    gates.push(slow);
    let failuresLeft = 0;
    const started: string[] = [];
    const handled: string[] = [];
    const service = await startService('health-fields', { concurrency: 4 }, async (message) => {
      const value = message.value.toString();
      started.push(value);
      if (value.startsWith('slow-')) await slow.opened;
      if (value === 'bad' && failuresLeft > 0) {
        failuresLeft--;
        // A bug in the handler: not retryable, so the worker restarts its consumer after five tries.
        throw new TypeError(`hook failure at offset ${message.offset}`);
      }
      handled.push(value);
    });
    running.push(service);
    const idle = await waitFor(
      async () => {
        const seen = await consumerHealth(service);
        return seen.status === 200 && seen;
      },
      { timeoutMs: 30_000, description: 'readiness green at start' },
    );
    expect(idle.consumer).toMatchObject({ state: 'running', partitions: PARTITIONS, inFlight: 0, restarts: 0 });

    // Three slow messages of three keys: all three in flight at once (concurrency 4).
    await send(service, ['a', 'b', 'c'].map((key, partition) => ({ partition, key, value: `slow-${key}` })));
    await waitFor(() => started.filter((value) => value.startsWith('slow-')).length === 3, { timeoutMs: 30_000, description: 'three slow messages in their handlers' });
    expect((await consumerHealth(service)).consumer).toMatchObject({ state: 'running', inFlight: 3, restarts: 0 });

    slow.open();
    await waitFor(() => handled.filter((value) => value.startsWith('slow-')).length === 3, { timeoutMs: 30_000, description: 'the slow messages finished' });
    await waitFor(async () => (await consumerHealth(service)).consumer?.inFlight === 0, { timeoutMs: 30_000, description: 'nothing in flight' });
    await waitFor(async () => sameOffsets(await committed(service), { 0: '1', 1: '1', 2: '1' }), { timeoutMs: 30_000, description: 'the slow messages committed' });

    // Five failures of one message restart the consumer once.
    failuresLeft = 5;
    await send(service, [{ partition: 0, key: 'bad', value: 'bad' }]);
    await waitFor(async () => (await consumerHealth(service)).consumer?.restarts === 1, { timeoutMs: 30_000, description: 'the restart on /health' });
    await waitFor(() => handled.includes('bad'), { timeoutMs: 60_000, description: 'the message handled after the restart' });
    const recovered = await waitFor(
      async () => {
        const seen = await consumerHealth(service);
        return seen.status === 200 && seen.consumer?.inFlight === 0 && seen;
      },
      { timeoutMs: 30_000, description: 'readiness green again, nothing in flight' },
    );
    expect(recovered.consumer).toMatchObject({ state: 'running', partitions: PARTITIONS, inFlight: 0, restarts: 1 });
    expect(service.fatal).toEqual([]);
  });
});
