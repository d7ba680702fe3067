import { Controller, type INestApplication } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import request from 'supertest';
import type { WorkerFailedError, WorkerMessage } from '@workpipe/kafka';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { TestEnv } from '../support/test-env';
import { oneConsumerService } from './support/one-consumer-service';
import { waitFor } from '../support/wait-for';

/** The hook the test controls: what the consumer's handler does with each message. */
const hook: { failuresLeft: number; handled: string[] } = { failuresLeft: 0, handled: [] };

@Controller()
class HookedConsumer {
  @EventPattern('test.hooked')
  handle(@Payload() message: WorkerMessage<Buffer>): [] {
    if (hook.failuresLeft > 0) {
      hook.failuresLeft--;
      // A bug in the handler: not retryable, so the worker restarts its consumer after a few tries.
      throw new TypeError(`hook failure at offset ${message.offset}`);
    }
    hook.handled.push(message.value.toString());
    return [];
  }
}

function serviceFor(env: TestEnv): ServiceDefinition {
  return oneConsumerService(env, { name: 'test.hooked', topicBase: 'hooked', controller: HookedConsumer, description: 'a consumer whose handler the test breaks' });
}

/** A service of its own per test: no test depends on another's restarts. */
async function startHooked(name: string): Promise<{ env: TestEnv; app: INestApplication; fatal: WorkerFailedError[] }> {
  const env = new TestEnv(name);
  const fatal: WorkerFailedError[] = [];
  const app = await createService(serviceFor(env), env.config('processor'), { onFatal: (error) => fatal.push(error) });
  await app.listen(0, '127.0.0.1');
  return { env, app, fatal };
}

async function send(env: TestEnv, values: string[]): Promise<void> {
  const producer = env.kafka().producer();
  await producer.connect();
  await producer.send({ topic: `${env.topicPrefix}hooked`, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

async function health(app: INestApplication): Promise<{ status: number; state?: string }> {
  const response = await request(app.getHttpServer()).get('/health');
  const consumers = (response.body.details ?? response.body.info ?? response.body.error ?? {}).consumers as Record<string, { state: string }> | undefined;
  return { status: response.status, state: consumers?.['test.hooked']?.state };
}

describe('a consumer whose handler keeps throwing', () => {
  const started: { env: TestEnv; app: INestApplication }[] = [];

  afterAll(async () => {
    for (const { env, app } of started) {
      await app.close();
      await env.cleanup();
    }
  });

  it('turns readiness red while it restarts, then recovers and handles the message', async () => {
    const service = await startHooked('live-recover');
    started.push(service);
    hook.failuresLeft = 5; // enough to make the worker restart its consumer once
    await send(service.env, ['first']);
    await waitFor(async () => (await health(service.app)).status === 503, { timeoutMs: 30_000, description: 'readiness red during the restart' });
    expect((await health(service.app)).state).toBe('recovering');
    await waitFor(() => hook.handled.includes('first'), { timeoutMs: 30_000, description: 'the message handled after the restart' });
    await waitFor(async () => (await health(service.app)).status === 200, { timeoutMs: 30_000, description: 'readiness green again' });
    expect(service.fatal).toEqual([]);
  });

  it('gives up after repeated restarts: readiness stays red and the fatal hook (process exit in a service) is called', async () => {
    const service = await startHooked('live-giveup');
    started.push(service);
    hook.failuresLeft = Number.MAX_SAFE_INTEGER;
    await send(service.env, ['second']);
    await waitFor(() => service.fatal.length > 0, { timeoutMs: 150_000, description: 'the consumer giving up' });
    expect(service.fatal[0]?.message).toMatch(/consumer test\.hooked failed: 3 restarts within 5 minutes; last: .*hook failure at offset 0/);
    expect(await health(service.app)).toEqual({ status: 503, state: 'failed' });
    expect(hook.handled).not.toContain('second');
    hook.failuresLeft = 0;
  }, 180_000);
});
