import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { HEADERS, IngestRejected, TOPICS, topicName, valueSubject, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { MessageDecoder, RegistrySerde, type RegistrySettings } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { SOURCES_CONSUMER } from '../../apps/ingestor/src/sources/source-consumer-spec';
import { SourceEventDecoder } from '../../apps/ingestor/src/sources/source-event-decoder';
import { PROCESSOR, ProcessorModule, WorkHandlerFor, type HandlerResult, type WorkHandler } from '../../apps/processor/src';
import { WORK_CONSUMER } from '../../apps/processor/src/consumer/work-consumer-spec';
import { freezeRegistry, thawRegistry } from '../../tools/stack';
import { countRecords } from '../support/record-count';
import { PipelineHarness } from '../support/pipeline-harness';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/**
 * A registry outage under a running consumer is retried: the consumer waits and resumes, and
 * nothing is set aside (README, Wire format). The shared registry is frozen with SIGSTOP for the
 * few seconds it takes the consumer to ask it once, give up on that request and ask again; each
 * service reaches it through a tap that counts its requests, which is how the test knows the
 * consumer asked again (retry) rather than waiting on one request or setting the message aside.
 * The message's schema id is one the service has never decoded (a fresh subject), so its first
 * decode needs the registry.
 */

/** A TCP relay in front of the registry that records the request line of every HTTP request it relays. */
class RegistryTap {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** `METHOD path` of every request relayed, in order. */
  readonly requests: string[] = [];
  private readonly upstream: URL;

  constructor(registryUrl: string) {
    this.upstream = new URL(registryUrl);
  }

  /** The registry URL to give a service: the same API, through the tap. */
  url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the tap is not open');
    return `http://127.0.0.1:${address.port}${this.upstream.pathname}`;
  }

  /** Requests for the schema of `id` (what a consumer asks to decode a message of that id). */
  schemaFetches(id: number): number {
    return this.requests.filter((line) => line.startsWith('GET ') && line.endsWith(`/schemas/ids/${id}`)).length;
  }

  async open(): Promise<this> {
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(Number(this.upstream.port), this.upstream.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    // Request lines, scanned from where the last complete one ended (a line may arrive in two chunks).
    const requestLine = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r\n/g;
    let text = '';
    let scanned = 0;
    client.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      requestLine.lastIndex = scanned;
      for (let match = requestLine.exec(text); match; match = requestLine.exec(text)) {
        this.requests.push(`${match[1]} ${match[2]}`);
        scanned = requestLine.lastIndex;
      }
    });
    client.pipe(upstream).pipe(client);
  }
}

/**
 * Freezes the shared registry and makes sure it is thawed whatever happens: in `thaw()`, and
 * at process exit should the run be cut short before the test's own `finally`.
 */
class RegistryFreeze {
  private frozen = false;
  private readonly onExit = (): void => this.thaw();

  get isFrozen(): boolean {
    return this.frozen;
  }

  freeze(): void {
    process.once('exit', this.onExit);
    this.frozen = true;
    freezeRegistry();
  }

  thaw(): void {
    process.off('exit', this.onExit);
    if (!this.frozen) return;
    thawRegistry();
    this.frozen = false;
  }
}

/** A consumer's entry in the service's /health. */
async function consumerHealth(app: INestApplication, name: string): Promise<{ state?: string; partitions: number; restarts?: number }> {
  const response = await request(app.getHttpServer()).get('/health').timeout(5_000);
  const consumers = (response.body.details ?? response.body.info ?? response.body.error ?? {}).consumers as
    | Record<string, { state: string; partitions: number; restarts: number }>
    | undefined;
  const consumer = consumers?.[name];
  return { state: consumer?.state, partitions: consumer?.partitions ?? 0, restarts: consumer?.restarts };
}

/** The schema id of a Confluent wire-format value. */
function schemaIdOf(value: Buffer): number {
  return value.readInt32BE(1);
}

/** What a decoder answered, and whether it answered while the registry was still frozen. */
interface Verdict {
  outcome: 'decoded' | 'poison' | 'error';
  error?: { name?: string; retryable?: unknown; message?: string };
  whileFrozen: boolean;
}

function verdictOf(answer: Promise<'decoded' | 'poison'>, freeze: RegistryFreeze): { settled: () => Verdict | undefined } {
  let verdict: Verdict | undefined;
  answer.then(
    (outcome) => (verdict = { outcome, whileFrozen: freeze.isFrozen }),
    (error: Error & { retryable?: unknown }) =>
      (verdict = { outcome: 'error', error: { name: error.name, retryable: error.retryable, message: error.message }, whileFrozen: freeze.isFrozen }),
  );
  return { settled: () => verdict };
}

/**
 * While frozen: done once the decoder has answered and, if its answer is the right one (an
 * error), once the service has asked for the schema a second time. A decoder that answers
 * `decoded` or `poison` ends the wait at once: the assertions after the thaw say what went wrong.
 */
function retriedOrWrong(verdict: Verdict | undefined, schemaFetches: number): boolean {
  if (verdict === undefined) return false;
  return verdict.outcome !== 'error' || schemaFetches >= 2;
}

/**
 * Longest the shared registry stays frozen, in milliseconds, should the retry never come: a
 * request is given up on after 10 s (the serde's request timeout), so a retry comes well before.
 */
const FROZEN_TIMEOUT_MS = 30_000;
/** Longest wait for the item once the registry is back, in milliseconds. */
const RESUME_TIMEOUT_MS = 60_000;

const handled: string[] = [];

/** A handler that needs nothing but the registry: records each item it runs. */
@Injectable()
@WorkHandlerFor({ type: 'outage-probe', downstream: 'nothing' })
class OutageProbeHandler implements WorkHandler {
  async handle(item: WorkItem.Value): Promise<HandlerResult> {
    handled.push(item.itemId);
    return { summary: { handled: true } };
  }
}

describe("a registry outage under the processor's work consumer", () => {
  const env = new TestEnv('registry-outage-work');
  const registry: RegistrySettings = env.config('cli').schemaRegistry;
  const tap = new RegistryTap(registry.url);
  const freeze = new RegistryFreeze();
  const harness = new PipelineHarness(env);
  const workTopic = topicName(env.topicPrefix, TOPICS.work);
  const rejectedTopic = topicName(env.topicPrefix, TOPICS.ingestRejected);
  let processor: INestApplication;
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let rejected: TopicReader<typeof IngestRejected.Schema>;

  beforeAll(async () => {
    await tap.open();
    processor = await harness.start(
      { ...PROCESSOR, module: (config) => ProcessorModule.forRoot(config, { handlers: [OutageProbeHandler] }) },
      { SCHEMA_REGISTRY_URL: tap.url() },
    );
    await waitFor(async () => {
      const health = await consumerHealth(processor, WORK_CONSUMER);
      return health.state === 'running' && health.partitions > 0;
    }, { timeoutMs: 60_000, description: 'the work consumer running with its partitions' });
    const serde = new RegistrySerde(registry);
    succeeded = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    rejected = await new TopicReader(env.kafka(), serde, rejectedTopic, IngestRejected, `${env.id}-r`).start();
  });

  afterAll(async () => {
    freeze.thaw();
    await Promise.allSettled([succeeded?.stop(), rejected?.stop()]);
    await harness.close();
    await tap.close();
    await cleanupWithSubjects(env);
  });

  it('waits while the registry does not answer, asks it again, and handles the item once it is back: nothing set aside', async () => {
    const item: WorkItem.Value = {
      itemId: `outage-${env.id}`,
      key: 'outage-key',
      type: 'outage-probe',
      payload: { n: 1 },
      attempt: 1,
      createdAt: new Date().toISOString(),
      correlationId: `corr-${env.id}`,
      history: [],
    };
    // Encoded while the registry is up, under this test's fresh subject: a schema id the processor has never decoded.
    const value = await new RegistrySerde(registry).encode(workTopic, WorkItem, item);
    const schemaId = schemaIdOf(value);
    expect(tap.schemaFetches(schemaId)).toBe(0);

    const producer = env.kafka().producer();
    await producer.connect();
    // The processor's own verdict on the message, from a decoder that has not seen the id either.
    const decoder = new MessageDecoder(new RegistrySerde(registry), [{ topic: workTopic, contract: WorkItem }]);
    const raw: KafkaMessage = { key: Buffer.from(item.key), value, headers: {}, offset: '0', timestamp: String(Date.now()), attributes: 0 };
    let answer: ReturnType<typeof verdictOf> | undefined;
    try {
      freeze.freeze();
      await producer.send({ topic: workTopic, acks: -1, messages: [{ key: item.key, value, headers: { [HEADERS.itemId]: item.itemId } }] });
      answer = verdictOf(
        decoder.decode(workTopic, 0, raw).then((outcome) => (outcome.ok ? 'decoded' : 'poison')),
        freeze,
      );
      // The decoder's verdict, and the positive signal of a retry: the consumer asked for the schema,
      // that request gave up, and it asked again (a verdict other than an error needs no wait: it is wrong).
      await waitFor(() => retriedOrWrong(answer?.settled(), tap.schemaFetches(schemaId)), {
        timeoutMs: FROZEN_TIMEOUT_MS,
        intervalMs: 200,
        description: `the decoder's verdict and a second request for schema ${schemaId} from the processor, while the registry is frozen`,
      });
    } finally {
      freeze.thaw();
      await producer.disconnect();
    }
    // Retry, not poison: a retryable registry error, given while the registry was still down.
    expect(answer?.settled()).toMatchObject({ outcome: 'error', error: { name: 'SchemaRegistryError', retryable: true }, whileFrozen: true });
    expect(tap.schemaFetches(schemaId)).toBeGreaterThanOrEqual(2);

    await waitFor(() => succeeded.values().some((event) => event.itemId === item.itemId), {
      timeoutMs: RESUME_TIMEOUT_MS,
      description: 'the item handled once the registry is back',
    });
    expect(handled).toEqual([item.itemId]);
    expect(succeeded.values().map((event) => event.itemId)).toEqual([item.itemId]);
    // Nothing set aside: the rejected topic read to its end holds no record.
    expect(await countRecords(env.kafka(), rejectedTopic)).toBe(0);
    expect(rejected.events).toEqual([]);
    // Retried in place, not by restarting the consumer.
    expect(await consumerHealth(processor, WORK_CONSUMER)).toMatchObject({ state: 'running', restarts: 0 });
  });
});

describe("a registry outage under the ingestor's source consumer (format registry)", () => {
  const env = new TestEnv('registry-outage-source');
  const registry: RegistrySettings = env.config('cli').schemaRegistry;
  const tap = new RegistryTap(registry.url);
  const freeze = new RegistryFreeze();
  const harness = new PipelineHarness(env);
  const sourceTopic = `${env.topicPrefix}ledger.events`;
  const workTopic = topicName(env.topicPrefix, TOPICS.work);
  const rejectedTopic = topicName(env.topicPrefix, TOPICS.ingestRejected);
  let ingestor: INestApplication;
  let work: TopicReader<typeof WorkItem.Schema>;
  let rejected: TopicReader<typeof IngestRejected.Schema>;

  beforeAll(async () => {
    const admin = env.kafka().admin();
    await admin.connect();
    try {
      // The source topic belongs to "another system": the test plays it.
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: sourceTopic, numPartitions: 1 }] });
    } finally {
      await admin.disconnect();
    }
    await tap.open();
    ingestor = await harness.start(INGESTOR, {
      SCHEMA_REGISTRY_URL: tap.url(),
      INGEST_SOURCES: JSON.stringify([
        { topic: sourceTopic, format: 'registry', type: 'ledger-entry', mapping: { key: 'account.id', itemId: 'id', payload: 'entry' } },
      ]),
    });
    await waitFor(async () => {
      const health = await consumerHealth(ingestor, SOURCES_CONSUMER);
      return health.state === 'running' && health.partitions > 0;
    }, { timeoutMs: 60_000, description: 'the source consumer running with its partition' });
    const serde = new RegistrySerde(registry);
    work = await new TopicReader(env.kafka(), serde, workTopic, WorkItem, `${env.id}-w`).start();
    rejected = await new TopicReader(env.kafka(), serde, rejectedTopic, IngestRejected, `${env.id}-r`).start();
  });

  afterAll(async () => {
    freeze.thaw();
    await Promise.allSettled([work?.stop(), rejected?.stop()]);
    await harness.close();
    await tap.close();
    await cleanupWithSubjects(env);
  });

  it('waits while the registry does not answer, asks it again, and ingests the event once it is back: nothing set aside', async () => {
    // The other system's schema, under a subject of its own (its title makes it new content: a new id).
    const other = new SchemaRegistry({ host: registry.url });
    const { id: schemaId } = await other.register(
      {
        type: SchemaType.JSON,
        schema: JSON.stringify({
          $schema: 'http://json-schema.org/draft-07/schema#',
          title: `LedgerEntryPosted ${env.id}`,
          type: 'object',
          properties: { id: { type: 'string' }, account: { type: 'object' }, entry: { type: 'object' } },
          required: ['id', 'account', 'entry'],
        }),
      },
      { subject: valueSubject(sourceTopic) },
    );
    const event = { id: `L-${env.id}`, account: { id: 'A-1' }, entry: { amount: 3, currency: 'EUR' } };
    const value = await other.encode(schemaId, event);
    expect(tap.schemaFetches(schemaId)).toBe(0);

    const producer = env.kafka().producer();
    await producer.connect();
    // The ingestor's own verdict on the event, from a decoder that has not seen the id either.
    const decoder = new SourceEventDecoder(new RegistrySerde(registry));
    let answer: ReturnType<typeof verdictOf> | undefined;
    try {
      freeze.freeze();
      await producer.send({ topic: sourceTopic, acks: -1, messages: [{ key: 'A-1', value }] });
      answer = verdictOf(
        decoder.decode(value, 'registry').then(() => 'decoded' as const, (error: Error) => {
          if (error.name === 'SourceDecodeError') return 'poison' as const;
          throw error;
        }),
        freeze,
      );
      await waitFor(() => retriedOrWrong(answer?.settled(), tap.schemaFetches(schemaId)), {
        timeoutMs: FROZEN_TIMEOUT_MS,
        intervalMs: 200,
        description: `the decoder's verdict and a second request for schema ${schemaId} from the ingestor, while the registry is frozen`,
      });
    } finally {
      freeze.thaw();
      await producer.disconnect();
    }
    expect(answer?.settled()).toMatchObject({ outcome: 'error', error: { name: 'RegistryUnavailableError', retryable: true }, whileFrozen: true });
    expect(tap.schemaFetches(schemaId)).toBeGreaterThanOrEqual(2);

    await waitFor(() => work.values().some((item) => item.itemId === event.id), {
      timeoutMs: RESUME_TIMEOUT_MS,
      description: 'the event ingested as a work item once the registry is back',
    });
    expect(work.values()).toEqual([expect.objectContaining({ itemId: event.id, key: 'A-1', type: 'ledger-entry', payload: event.entry })]);
    expect(await countRecords(env.kafka(), rejectedTopic)).toBe(0);
    expect(rejected.events).toEqual([]);
    expect(await consumerHealth(ingestor, SOURCES_CONSUMER)).toMatchObject({ state: 'running', restarts: 0 });
  });
});
