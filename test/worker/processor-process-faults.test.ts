import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { TOPICS, topicName, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde, TopicProvisioner, pipelineTopics } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { compileService, removeCompiled, type CompiledService } from '../../tools/services/compiled-service';
import { freePort, startServiceProcess, stopService, waitReady, type ServiceProcess } from '../../tools/services/service-process';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '../..');
const logger = createLogger({ service: 'test', level: 'silent' });

/** A downstream that answers after `latencyMs` and records each call: item id, when it came, when it was answered. */
class CountingDownstream {
  readonly calls: { itemId: string; at: number; answeredAt?: number }[] = [];
  latencyMs = 5;
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const call = { itemId: decodeURIComponent((request.url ?? '').split('/').pop() ?? ''), at: Date.now() } as { itemId: string; at: number; answeredAt?: number };
      this.calls.push(call);
      setTimeout(() => {
        call.answeredAt = Date.now();
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"rows":[1]}');
      }, this.latencyMs);
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  callsOf(itemId: string): number {
    return this.calls.filter((call) => call.itemId === itemId).length;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

/**
 * The processor as a real process, killed (-9) between outcomes and commits, or
 * stopped (SIGTERM) under load: what it leaves visible in the outcome topics.
 */
describe('a processor process killed or stopped under load', () => {
  let build: CompiledService;
  const downstream = new CountingDownstream();
  const serde = new RegistrySerde(new TestEnv('x').config('cli').schemaRegistry);

  beforeAll(async () => {
    build = compileService(ROOT, 'processor', randomBytes(3).toString('hex'));
    await downstream.start();
  }, 180_000);

  afterAll(async () => {
    await downstream.stop();
    if (build) removeCompiled(build);
  });

  /** One test's topics, items and processor launches. */
  async function scenario(name: string, count: number) {
    const env = new TestEnv(name);
    const config = env.config('processor');
    const kafka = env.kafka();
    const admin = kafka.admin();
    await admin.connect();
    await new TopicProvisioner(admin, logger).ensure(pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'ingestRejected']));
    await admin.disconnect();
    const publisher = new EventPublisher(kafka, serde, logger);
    await publisher.connect();
    const ids = Array.from({ length: count }, (_, n) => `${name}-${n}`);
    const now = new Date().toISOString();
    for (let start = 0; start < ids.length; start += 500) {
      await publisher.publish(
        topicName(env.topicPrefix, TOPICS.work),
        WorkItem,
        ids.slice(start, start + 500).map((itemId, n) => ({
          key: `key-${(start + n) % 50}`,
          value: { itemId, key: `key-${(start + n) % 50}`, type: 'fault-item', payload: { id: itemId }, attempt: 1, createdAt: now, correlationId: itemId, history: [] },
        })),
      );
    }
    await publisher.disconnect();
    const processEnv: Record<string, string> = {
      TOPIC_PREFIX: env.topicPrefix,
      REDIS_KEY_PREFIX: env.redisPrefix,
      TOPIC_PARTITIONS: '3',
      // info: the stop request's line says when the processor acted on SIGTERM.
      LOG_LEVEL: 'info',
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      WORK_TYPES: JSON.stringify({ 'fault-item': { handler: 'http', url: `http://127.0.0.1:${downstream.port}/items/{id}`, timeoutMs: 5_000 } }),
    };
    const launch = async (attempt: number): Promise<ServiceProcess> => {
      const service = startServiceProcess({
        name: `processor-${name}-${attempt}`,
        entry: build.entry,
        nodeArgs: ['-r', build.preload],
        port: await freePort(),
        env: processEnv,
        logFile: join(tmpdir(), `workpipe-test-${env.id}-${attempt}.log`),
      });
      await waitReady(service, 60_000);
      return service;
    };
    const reader = (topic: string, uncommitted: boolean) =>
      new TopicReader(kafka, serde, topicName(env.topicPrefix, topic as (typeof TOPICS)[keyof typeof TOPICS]), WorkSucceeded, `${env.id}-${uncommitted ? 'u' : 'c'}`, uncommitted).start();
    return { env, ids, launch, reader };
  }

  it('never leaves two visible outcomes for one attempt across repeated kill -9 (read_committed), unlike what was written (read_uncommitted)', async () => {
    const { env, ids, launch, reader } = await scenario('kill9', 1500);
    downstream.latencyMs = 5;
    const committed = await reader(TOPICS.succeeded, false);
    const uncommitted = await reader(TOPICS.succeeded, true);
    const failed = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.failed), WorkFailed, `${env.id}-f`).start();
    let processor = await launch(0);
    try {
      for (const [kill, after] of [150, 500, 900].entries()) {
        await waitFor(() => uncommitted.events.length >= after, { timeoutMs: 60_000, description: `${after} outcomes written` });
        processor.process.kill('SIGKILL');
        await new Promise((resolve) => processor.process.once('exit', resolve));
        processor = await launch(kill + 1);
      }
      await waitFor(() => new Set(committed.values().map((event) => event.itemId)).size === ids.length, {
        timeoutMs: 120_000,
        description: 'every item succeeded once',
      });
      const visible = committed.values().map((event) => event.itemId);
      expect(visible).toHaveLength(ids.length);
      expect(new Set(visible).size).toBe(ids.length);
      expect(failed.values()).toEqual([]);
      const written = uncommitted.values().length;
      // What the killed processes wrote in transactions that never committed is there, but aborted.
      process.stdout.write(`kill -9 x3: ${ids.length} items, ${visible.length} outcomes visible (read_committed), ${written} written (read_uncommitted), ${downstream.calls.length} downstream calls\n`);
      expect(written).toBeGreaterThanOrEqual(visible.length);
    } finally {
      await stopService(processor);
      await Promise.allSettled([committed.stop(), uncommitted.stop(), failed.stop()]);
      await env.cleanup();
    }
  }, 300_000);

  it('on SIGTERM under load starts no new attempt, finishes and commits those in flight, leaves its group and exits 0', async () => {
    const { env, ids, launch, reader } = await scenario('term', 1500);
    downstream.latencyMs = 30;
    const callsBefore = downstream.calls.length;
    const committed = await reader(TOPICS.succeeded, false);
    let processor = await launch(0);
    try {
      await waitFor(() => committed.events.length >= 200, { timeoutMs: 60_000, description: '200 outcomes committed' });
      const termAt = Date.now();
      const exit = stopService(processor, 30_000);
      const code = await exit;
      const stoppedAt = Date.now();
      expect(code).toBe(0);
      const calls = downstream.calls.slice(callsBefore);
      // When the processor acted on the signal, from its own log line (same clock: the same machine).
      const stopLine = readFileSync(processor.logFile, 'utf8')
        .split('\n')
        .find((line) => line.includes('stop requested'));
      expect(stopLine).toBeDefined();
      const stop = JSON.parse(stopLine as string) as { time: string; inFlight: number };
      const stoppingAt = Date.parse(stop.time);
      const after = calls.filter((call) => call.at > stoppingAt).map((call) => call.at - stoppingAt);
      process.stdout.write(`SIGTERM: acted on after ${stoppingAt - termAt} ms with ${stop.inFlight} attempts in flight, exited after ${stoppedAt - termAt} ms; ${after.length} calls arrived after it\n`);
      // The attempts in flight then (some not yet at their downstream call) finish; none starts after it.
      expect(after.length).toBeLessThanOrEqual(stop.inFlight);
      expect(calls.filter((call) => call.answeredAt === undefined || call.answeredAt > stoppedAt)).toEqual([]);
      processor = await launch(1);
      await waitFor(() => new Set(committed.values().map((event) => event.itemId)).size === ids.length, {
        timeoutMs: 120_000,
        description: 'every item succeeded',
      });
      // Nothing that finished before the stop was left uncommitted: no item was called twice.
      expect(ids.filter((itemId) => downstream.callsOf(itemId) !== 1)).toEqual([]);
      expect(committed.values()).toHaveLength(ids.length);
    } finally {
      await stopService(processor);
      await committed.stop();
      await env.cleanup();
    }
  }, 300_000);
});
