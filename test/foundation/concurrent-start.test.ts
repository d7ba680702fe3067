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
});
