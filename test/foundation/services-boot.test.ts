import type { INestApplication } from '@nestjs/common';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import request from 'supertest';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const env = new TestEnv('boot');

describe.each<[string, ServiceDefinition]>([
  ['ingestor', INGESTOR],
  ['processor', PROCESSOR],
  ['retrier', RETRIER],
  ['stats', STATS],
])('%s', (_name, definition) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createService(definition, env.config(definition.service));
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is ready on /health with Kafka and Redis up, once its consumers have joined their groups', async () => {
    // Readiness is red until every consumer has its partitions: wait for it, as an orchestrator does.
    await waitFor(async () => (await request(app.getHttpServer()).get('/health')).status === 200, { timeoutMs: 30_000, description: 'readiness' });
    const response = await request(app.getHttpServer()).get('/health').expect(200);
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

describe('topic provisioning', () => {
  afterAll(() => env.cleanup());

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

      const again = await createService(INGESTOR, env.config('ingestor'));
      await again.init();
      await again.close();

      expect(await listed()).toEqual(topics);
      expect(await describeTopics(admin, topics)).toEqual(before);
    } finally {
      await admin.disconnect();
    }
  });
});
