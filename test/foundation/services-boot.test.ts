import type { INestApplication } from '@nestjs/common';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import request from 'supertest';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const env = new TestEnv('boot');

const SERVICES: [string, ServiceDefinition][] = [
  ['ingestor', INGESTOR],
  ['processor', PROCESSOR],
  ['retrier', RETRIER],
  ['stats', STATS],
];

/** Services this file has started (each provisions its topics as it starts). */
const started = new Set<string>();

async function startService(definition: ServiceDefinition): Promise<INestApplication> {
  const app = await createService(definition, env.config(definition.service));
  await app.listen(0, '127.0.0.1');
  started.add(definition.service);
  return app;
}

/** Readiness is red until every consumer has its partitions: waits for it, as an orchestrator does, and returns the answer. */
async function ready(app: INestApplication): Promise<request.Response> {
  return waitFor(
    async () => {
      const response = await request(app.getHttpServer()).get('/health');
      return response.status === 200 && response;
    },
    { timeoutMs: 30_000, description: 'readiness' },
  );
}

describe.each<[string, ServiceDefinition]>(SERVICES)('%s', (_name, definition) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startService(definition);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is ready on /health with Kafka and Redis up, once its consumers have joined their groups', async () => {
    const response = await ready(app);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { kafka: { status: 'up' }, redis: { status: 'up' } },
    });
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('serves Prometheus metrics and OpenAPI docs', async () => {
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    await request(app.getHttpServer()).get('/docs-json').expect(200);
  });
});

// Topics, groups, Redis keys and registry subjects of the whole file, whichever of its tests ran.
afterAll(() => cleanupWithSubjects(env));

describe('topic provisioning', () => {
  /** Partition count and the settings that are not Kafka's defaults, per topic. */
  async function describeTopics(admin: Admin, topics: readonly string[]): Promise<Record<string, { partitions: number; configs: Record<string, string> }>> {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return Object.fromEntries(
      topics.map((name) => {
        const entries = resources.find((resource) => resource.resourceName === name)?.configEntries ?? [];
        const configs = Object.fromEntries(entries.filter((entry) => !entry.isDefault).map((entry) => [entry.configName, entry.configValue]));
        return [name, { partitions: metadata.find((topic) => topic.name === name)?.partitions.length ?? 0, configs }];
      }),
    );
  }

  it('left every topic the services asked for, and a second start changes nothing', async () => {
    const admin = env.kafka().admin();
    await admin.connect();
    try {
      // Every service has started once (here, when this test runs alone).
      for (const [, definition] of SERVICES) {
        if (started.has(definition.service)) continue;
        const app = await startService(definition);
        await ready(app);
        await app.close();
      }
      const listed = async () => (await admin.listTopics()).filter((topic) => topic.startsWith(env.topicPrefix)).sort();
      const topics = await listed();
      const tiers = ['1s', '5s', '30s', '1m', '5m', '15m', '1h'].map((tier) => `work.retry.${tier}`);
      expect(topics).toEqual(
        ['alerts', 'ingest.rejected', 'replays', 'work', 'work.abandoned', 'work.failed', 'work.succeeded', ...tiers]
          .map((base) => `${env.topicPrefix}${base}`)
          .sort(),
      );

      // An operator's own setting on a topic the ingestor provisions: it must survive the next start.
      const work = `${env.topicPrefix}work`;
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: work, configEntries: [{ name: 'retention.ms', value: '123456789' }] }],
      });
      const before = await describeTopics(admin, topics);
      expect(before[work]?.configs['retention.ms']).toBe('123456789');

      // The second start of every service: each comes up, without an error, to readiness...
      for (const [name, definition] of SERVICES) {
        const again = await startService(definition);
        try {
          const health = await ready(again);
          expect({ name, health: health.body }).toMatchObject({ name, health: { status: 'ok', info: { kafka: { status: 'up' }, redis: { status: 'up' } } } });
        } finally {
          await again.close();
        }
      }
      // ...and leaves the topics as they were: the same topics, partitions and settings, the operator's included.
      expect(await listed()).toEqual(topics);
      expect(await describeTopics(admin, topics)).toEqual(before);
    } finally {
      await admin.disconnect();
    }
  });
});
