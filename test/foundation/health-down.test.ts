import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { createService } from '@workpipe/runtime';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { KafkaRelay } from './support/kafka-relay';
import { TcpRelay } from './support/tcp-relay';

/** The service logs every refused reconnect while cut off: expected here, so only fatal lines unless asked. */
const QUIET = process.env.TEST_LOG_LEVEL ?? 'fatal';

interface Health {
  status: number;
  /** 200: Terminus' report; 503: the API's error shape, every indicator's state in `details`. */
  body: { status?: string; error?: string; message?: string; info?: Record<string, { status: string }>; details?: Record<string, { status: string; message?: string }> };
}

async function health(app: INestApplication): Promise<Health> {
  const response = await request(app.getHttpServer()).get('/health');
  return { status: response.status, body: response.body as Health['body'] };
}

/**
 * Readiness is red while Kafka or Redis does not answer. The machine's Redis
 * and broker are shared and keep running: the service reaches them through a
 * relay the test controls, and the test cuts the relay.
 */
describe('/health when a dependency does not answer', () => {
  const envs: TestEnv[] = [];

  afterAll(async () => {
    for (const env of envs) await env.cleanup();
  });

  it('answers 503 with redis down while Redis does not answer, and 200 again once it does', async () => {
    const env = new TestEnv('health-redis');
    envs.push(env);
    const redisUrl = new URL(env.config('cli').redis.url);
    const relay = await new TcpRelay({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) }).open();
    redisUrl.host = relay.address;
    let app: INestApplication | undefined;
    try {
      app = await createService(INGESTOR, env.config('ingestor', { REDIS_URL: redisUrl.toString(), LOG_LEVEL: QUIET }));
      await app.listen(0, '127.0.0.1');
      await waitFor(async () => (await health(app!)).status === 200, { timeoutMs: 30_000, description: 'readiness green' });

      await relay.close();
      const down = await waitFor(
        async () => {
          const answer = await health(app!);
          return answer.status === 503 && answer;
        },
        { timeoutMs: 30_000, description: 'readiness red with Redis cut off' },
      );
      expect(down.body).toMatchObject({ error: 'UNHEALTHY', message: 'not ready: redis' });
      expect(down.body.details?.redis).toEqual({ status: 'down', message: expect.stringMatching(/Redis|ECONNREFUSED|closed/i) });
      // Only the failing indicator is down: Kafka still answers.
      expect(down.body.details?.kafka?.status).toBe('up');

      await relay.open();
      await waitFor(async () => (await health(app!)).status === 200, { timeoutMs: 30_000, description: 'readiness green once Redis answers again' });
    } finally {
      await relay.open(); // a clean close needs Redis
      await app?.close();
      await relay.close();
    }
  }, 120_000);

  it('answers 503 with kafka down while Kafka does not answer, and 200 again once it does', async () => {
    const env = new TestEnv('health-kafka');
    envs.push(env);
    const relay = await KafkaRelay.start(env.kafka());
    let app: INestApplication | undefined;
    try {
      app = await createService(INGESTOR, env.config('ingestor', { KAFKA_BROKERS: relay.brokers, LOG_LEVEL: QUIET }));
      await app.listen(0, '127.0.0.1');
      const up = await waitFor(
        async () => {
          const answer = await health(app!);
          return answer.status === 200 && answer;
        },
        { timeoutMs: 30_000, description: 'readiness green' },
      );
      // The service sees the broker at the relay's address: none of its connections go around it.
      expect(relay.problems).toEqual([]);
      expect(up.body.info?.kafka?.status).toBe('up');

      await relay.close();
      const down = await waitFor(
        async () => {
          const answer = await health(app!);
          return answer.status === 503 && answer;
        },
        { timeoutMs: 30_000, description: 'readiness red with Kafka cut off' },
      );
      expect(down.body).toMatchObject({ error: 'UNHEALTHY', message: 'not ready: kafka' });
      expect(down.body.details?.kafka).toEqual({ status: 'down', message: expect.any(String) });
      expect(down.body.details?.redis?.status).toBe('up');

      await relay.open();
      await waitFor(async () => (await health(app!)).status === 200, { timeoutMs: 60_000, description: 'readiness green once Kafka answers again' });
      expect(relay.problems).toEqual([]);
    } finally {
      await relay.open();
      await app?.close();
      await relay.close();
    }
  }, 180_000);
});
