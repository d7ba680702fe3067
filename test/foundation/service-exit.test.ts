import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConfigResourceTypes } from 'kafkajs';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { EventPublisher, pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { compileServices, removeCompiled, type CompiledServices } from '../../tools/services/compiled-service';
import { freePort, stopService, waitReady } from '../../tools/services/service-process';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { exitWithin, killRun, runService, type ServiceRun } from './support/service-run';

const ROOT = join(__dirname, '../..');
const APPS = ['ingestor', 'processor', 'retrier', 'stats'] as const;
const logger = createLogger({ service: 'test', level: 'silent' });

/** The processor's topics, created for a test that sets them up before the processor starts. */
async function processorTopics(env: TestEnv, configs: Record<string, string> = {}): Promise<void> {
  const config = env.config('processor');
  const admin = env.kafka().admin();
  await admin.connect();
  try {
    await new TopicProvisioner(admin, logger).ensure(pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'ingestRejected']));
    const entries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    if (entries.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [TOPICS.succeeded, TOPICS.failed, TOPICS.ingestRejected].map((base) => ({
          type: ConfigResourceTypes.TOPIC,
          name: topicName(env.topicPrefix, base),
          configEntries: entries,
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

async function publishWork(env: TestEnv, items: { itemId: string; type: string; payload: Record<string, unknown> }[]): Promise<void> {
  const config = env.config('processor');
  const publisher = new EventPublisher(env.kafka(), new RegistrySerde(config.schemaRegistry), logger);
  await publisher.connect();
  try {
    const now = new Date().toISOString();
    await publisher.publish(
      topicName(env.topicPrefix, TOPICS.work),
      WorkItem,
      items.map(({ itemId, type, payload }) => ({
        key: itemId,
        value: { itemId, key: itemId, type, payload, attempt: 1, createdAt: now, correlationId: itemId, history: [] },
      })),
    );
  } finally {
    await publisher.disconnect();
  }
}

/** The processor group's committed offsets on the work topic, by partition (-1: nothing committed). */
async function committedWork(env: TestEnv): Promise<Map<number, bigint>> {
  const admin = env.kafka().admin();
  await admin.connect();
  try {
    const [work] = await admin.fetchOffsets({ groupId: `${env.topicPrefix}processor`, topics: [topicName(env.topicPrefix, TOPICS.work)] });
    return new Map((work?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** A downstream that takes every request and never answers it. */
class SilentDownstream {
  readonly calls: string[] = [];
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((incoming: IncomingMessage) => {
      this.calls.push(incoming.url ?? '');
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Services as processes (compiled from the sources, as in production): how they end, with which code and line. */
describe('a service process ending', () => {
  let build: CompiledServices;
  const envs: TestEnv[] = [];
  const runs: ServiceRun[] = [];

  beforeAll(() => {
    build = compileServices(ROOT, APPS, `exit-${randomBytes(3).toString('hex')}`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(runs.map((run) => killRun(run)));
    for (const env of envs) await env.cleanup();
    if (build) removeCompiled(build);
  });

  function testEnv(name: string): TestEnv {
    const env = new TestEnv(name);
    envs.push(env);
    return env;
  }

  it.each(APPS)('%s exits 1 with its "could not start" line when Kafka does not answer within KAFKA_CONNECT_TIMEOUT_MS', async (app) => {
    const env = testEnv(`exit-nokafka-${app}`);
    const nowhere = await freePort(); // nothing listens there
    const connectTimeoutMs = 3_000;
    const startedAt = Date.now();
    const run = await runService(build, app, env, 'nokafka', {
      KAFKA_BROKERS: `127.0.0.1:${nowhere}`,
      KAFKA_CONNECT_TIMEOUT_MS: String(connectTimeoutMs),
      LOG_LEVEL: 'fatal',
    });
    runs.push(run);
    // The default timeout is 60 s (and kafkajs' own retries ~70 s): well before that, it has given up.
    const exit = await exitWithin(run, 45_000, 'giving up on Kafka');
    const elapsed = Date.now() - startedAt;
    process.stdout.write(`${app} without Kafka: exit ${exit.code} after ${elapsed} ms (KAFKA_CONNECT_TIMEOUT_MS=${connectTimeoutMs})\n`);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(new RegExp(`^${app}: could not start: .*127\\.0\\.0\\.1:${nowhere}`, 'm'));
    // It kept trying for the whole timeout first.
    expect(elapsed).toBeGreaterThanOrEqual(connectTimeoutMs);
  }, 60_000);

  it('exits non-zero for its supervisor once its consumer has restarted three times without getting past a message', async () => {
    const env = testEnv('exit-restarts');
    // Outcome, replacement and rejection topics that take nothing the size of an event: the message can
    // neither be handled, nor replaced, nor set aside, so each try fails and the consumer restarts.
    await processorTopics(env, { 'max.message.bytes': '200' });
    await publishWork(env, [{ itemId: `stuck-${env.id}`, type: 'no-handler-type', payload: { n: 1 } }]);
    const run = await runService(build, 'processor', env, 'restarts');
    runs.push(run);

    const exit = await exitWithin(run, 120_000, 'the consumer giving up');
    expect(exit).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(
      /^processor: consumer processor\.work failed: 3 restarts within 5 minutes; last: .*too large for .*ingest\.rejected.*; exiting$/m,
    );
    const restarts = run.logLines().filter((line) => line.includes('"msg":"restarting the consumer"'));
    expect(restarts).toHaveLength(3);
    // Nothing was committed past the message it could not handle: the next instance starts from it.
    expect([...(await committedWork(env)).values()].every((offset) => offset <= 0n)).toBe(true);
  }, 240_000);

  it('on SIGTERM exits 0 within SHUTDOWN_TIMEOUT_MS while an attempt never finishes, leaving that attempt uncommitted', async () => {
    const env = testEnv('exit-shutdown');
    const downstream = new SilentDownstream();
    await downstream.start();
    const shutdownTimeoutMs = 8_000;
    let run: ServiceRun | undefined;
    try {
      await processorTopics(env);
      await publishWork(env, [{ itemId: `hang-${env.id}`, type: 'hang-item', payload: { id: `hang-${env.id}` } }]);
      run = await runService(build, 'processor', env, 'shutdown', {
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
        // The attempt itself would wait ten minutes for the downstream.
        PROCESSOR_ATTEMPT_TIMEOUT_MS: '600000',
        WORK_TYPES: JSON.stringify({ 'hang-item': { handler: 'http', url: `http://127.0.0.1:${downstream.port}/hang/{id}`, timeoutMs: 600_000 } }),
      });
      runs.push(run);
      await waitReady(run, 60_000);
      await waitFor(() => downstream.calls.length > 0, { timeoutMs: 60_000, description: 'the attempt calling the downstream' });

      const signalledAt = Date.now();
      const code = await stopService(run, 60_000);
      const elapsed = Date.now() - signalledAt;
      process.stdout.write(`SIGTERM with an attempt that never finishes: exit ${code} after ${elapsed} ms (SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs})\n`);
      // 0, not the 1 of the hard stop at SHUTDOWN_TIMEOUT_MS: the drain gave up on the attempt in time.
      expect(code).toBe(0);
      expect(run.stderr()).not.toMatch(/shutdown exceeded/);
      expect(elapsed).toBeLessThan(shutdownTimeoutMs + 15_000);
      const stop = run.logLines().find((line) => line.includes('stop requested'));
      expect(JSON.parse(stop as string)).toMatchObject({ signal: 'SIGTERM', inFlight: 1 });
      // The unfinished attempt was dropped, not committed: the next owner runs it again.
      expect([...(await committedWork(env)).values()].every((offset) => offset <= 0n)).toBe(true);
      expect(downstream.calls).toEqual([`/hang/hang-${env.id}`]);
    } finally {
      await killRun(run);
      await downstream.stop();
    }
  }, 180_000);
});
