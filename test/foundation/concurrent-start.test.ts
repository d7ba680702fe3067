import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const SERVICES: readonly ServiceDefinition[] = [INGESTOR, PROCESSOR, RETRIER, STATS];
const ROUNDS = 10;

/**
 * The four services started at the same moment on topics that do not exist
 * yet race to create the same fresh topics (and register the same schemas,
 * join their groups): every one of them must come up, every time.
 */
describe('four services started at once on fresh topics', () => {
  const envs: TestEnv[] = [];

  afterAll(async () => {
    for (const env of envs) await env.cleanup();
  });

  it(`all become ready, ${ROUNDS} times in a row with a fresh topic prefix each time`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const env = new TestEnv(`start${round}`);
      envs.push(env);
      const started = await Promise.allSettled(
        SERVICES.map(async (definition) => {
          const app = await createService(definition, env.config(definition.service));
          await app.listen(0, '127.0.0.1');
          return app;
        }),
      );
      const apps = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      try {
        const failures = started.flatMap((result, index) =>
          result.status === 'rejected' ? [`${SERVICES[index]!.service}: ${(result.reason as Error).message}`] : [],
        );
        expect({ round, failures }).toEqual({ round, failures: [] });
        for (const app of apps) {
          let last: unknown;
          const ready = await waitFor(
            async () => {
              const response = await request(app.getHttpServer()).get('/health');
              last = response.body;
              return response.status === 200;
            },
            { timeoutMs: 20_000, description: 'readiness' },
          ).catch(() => false);
          expect({ round, ready, last: ready ? undefined : last }).toEqual({ round, ready: true, last: undefined });
        }
      } finally {
        await Promise.allSettled(apps.map((app: INestApplication) => app.close()));
      }
    }
  }, 600_000);

  it('a service started while Kafka does not answer yet waits for it, and comes up once it does', async () => {
    const env = new TestEnv('late-kafka');
    envs.push(env);
    const [host, port] = (env.config('ingestor').kafka.brokers[0] as string).split(':') as [string, string];
    // A port where nothing listens for the first 10 s (kafkajs alone gives up after ~6 s), then a
    // relay to the real broker: the service's seed broker, whose metadata then points at the real one.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const latePort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sockets = new Set<Socket>();
    let relay: Server | undefined;
    const opening = setTimeout(() => {
      relay = createServer((client) => {
        const upstream = connect(Number(port), host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => socket.destroy());
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
      }).listen(latePort, '127.0.0.1');
    }, 10_000);
    const started = Date.now();
    let app: INestApplication | undefined;
    try {
      app = await createService(INGESTOR, env.config('ingestor', { KAFKA_BROKERS: `127.0.0.1:${latePort}` }));
      await app.listen(0, '127.0.0.1');
      // It waited for the relay (the proof that it did not come up some other way)...
      expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
      // ...and works: ready, and an item accepted.
      const health = await request(app.getHttpServer()).get('/health');
      expect(health.status).toBe(200);
      const accepted = await request(app.getHttpServer())
        .post('/v1/items')
        .send({ type: 'portfolio-report', key: 'PF-0001', payload: { portfolioId: 'PF-0001', date: '2026-11-22' } });
      expect(accepted.status).toBe(202);
    } finally {
      clearTimeout(opening);
      await app?.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
    }
  }, 120_000);
});
