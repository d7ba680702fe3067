import { Controller, type INestApplication } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import request from 'supertest';
import type { WorkerFailedError, WorkerMessage } from '@workpipe/kafka';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { BrokerFreeze } from '../support/broker-freeze';
import { TestEnv } from '../support/test-env';
import { oneConsumerService } from './support/one-consumer-service';
import { waitFor } from '../support/wait-for';

/**
 * A consumer whose fetch loop stops without failing (seen once after a broker
 * restart: kafkajs neither fetched nor crashed, and readiness stayed green).
 * The broker is frozen (SIGSTOP): every socket stays open and nothing is
 * answered, so kafkajs' own request timeout (30 s) has not fired yet when the
 * worker's fetch watchdog (CONSUMER_FETCH_STALL_MS, 3 s here) must.
 */
const handled: string[] = [];

@Controller()
class RecordingConsumer {
  @EventPattern('test.stall')
  handle(@Payload() message: WorkerMessage<Buffer>): [] {
    handled.push(message.value.toString());
    return [];
  }
}

function serviceFor(env: TestEnv): ServiceDefinition {
  return oneConsumerService(env, { name: 'test.stall', topicBase: 'stall', controller: RecordingConsumer, description: 'a consumer whose broker the test freezes' });
}

async function consumerHealth(app: INestApplication): Promise<{ status: number; state?: string; detail?: string; restarts?: number }> {
  const response = await request(app.getHttpServer()).get('/health').timeout(5_000);
  const consumers = (response.body.details ?? response.body.info ?? response.body.error ?? {}).consumers as
    | Record<string, { state: string; detail?: string; restarts: number }>
    | undefined;
  const consumer = consumers?.['test.stall'];
  return { status: response.status, state: consumer?.state, detail: consumer?.detail, restarts: consumer?.restarts };
}

async function send(env: TestEnv, value: string): Promise<void> {
  const producer = env.kafka().producer();
  await producer.connect();
  await producer.send({ topic: `${env.topicPrefix}stall`, messages: [{ value }] });
  await producer.disconnect();
}

describe('a consumer that stops fetching without failing', () => {
  let env: TestEnv;
  let app: INestApplication;
  const fatal: WorkerFailedError[] = [];
  let brokers: BrokerFreeze | undefined;

  beforeAll(async () => {
    brokers = await BrokerFreeze.ofLocalStack();
    env = new TestEnv('fetch-stall');
    app = await createService(serviceFor(env), env.config('processor', { CONSUMER_FETCH_STALL_MS: '3000', LOG_LEVEL: 'error' }), {
      onFatal: (error) => fatal.push(error),
    });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    brokers?.thaw();
    await app?.close();
    await env?.cleanup();
  });

  it('is restarted by the fetch watchdog (readiness red meanwhile), then handles the next message', async () => {
    await send(env, 'before');
    await waitFor(() => handled.includes('before'), { timeoutMs: 30_000, description: 'the first message handled' });
    expect(await consumerHealth(app)).toMatchObject({ status: 200, state: 'running', restarts: 0 });

    brokers?.freeze();
    let seen: Awaited<ReturnType<typeof consumerHealth>> | undefined;
    try {
      await waitFor(
        async () => {
          seen = await consumerHealth(app);
          return seen.state === 'recovering';
        },
        { timeoutMs: 20_000, intervalMs: 200, description: 'the watchdog restarting the consumer while the broker is frozen' },
      );
    } finally {
      brokers?.thaw();
    }
    expect(seen).toMatchObject({ status: 503, state: 'recovering', restarts: 1 });
    expect(seen?.detail).toMatch(/^no fetch for \d+ ms/);

    await send(env, 'after');
    await waitFor(() => handled.includes('after'), { timeoutMs: 60_000, description: 'the next message handled by the restarted consumer' });
    await waitFor(async () => (await consumerHealth(app)).status === 200, { timeoutMs: 30_000, description: 'readiness green again' });
    expect(handled.filter((value) => value === 'before')).toHaveLength(1);
    expect(fatal).toEqual([]);
  }, 120_000);
});
