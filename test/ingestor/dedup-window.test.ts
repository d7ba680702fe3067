import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';
import { dedupKey } from './support/dedup-keys';

const report = (itemId: string) => ({
  itemId,
  key: 'PF-0001',
  type: 'portfolio-report',
  payload: { portfolioId: 'PF-0001', date: '2026-11-22' },
});

async function workReader(env: TestEnv, topicPrefix: string, name: string): Promise<TopicReader<typeof WorkItem.Schema>> {
  const config = env.config('cli');
  return new TopicReader(env.kafka(), new RegistrySerde(config.schemaRegistry), topicName(topicPrefix, TOPICS.work), WorkItem, `${env.id}-${name}`).start();
}

describe('DEDUP_TTL_HOURS: how long an accepted id counts as a duplicate', () => {
  const env = new TestEnv('dedup-ttl');
  // The setting takes fractions of an hour: 0.002 h is 7.2 s, a window a test can wait out.
  const TTL_HOURS = 0.002;
  const TTL_MS = TTL_HOURS * 3_600_000;
  let app: INestApplication;
  let work: TopicReader<typeof WorkItem.Schema>;
  const post = (itemId: string) => request(app.getHttpServer()).post('/v1/items').send(report(itemId));

  beforeAll(async () => {
    app = await createService(INGESTOR, env.config('ingestor', { DEDUP_TTL_HOURS: String(TTL_HOURS) }));
    await app.listen(0, '127.0.0.1');
    work = await workReader(env, env.topicPrefix, 'work');
  });

  afterAll(async () => {
    await work?.stop();
    await app?.close();
    await env.cleanup();
  });

  it('answers a resubmission 409 ALREADY_ACCEPTED within the window, and accepts the same id again (202) once it has passed', async () => {
    const itemId = `ttl-${env.id}`;
    const firstSentAt = Date.now();
    await post(itemId).expect(202);

    // The window is the configured one, not the 24 h default.
    const redis = env.redis();
    try {
      const ttl = await redis.pttl(dedupKey(env.redisPrefix, env.topicPrefix, itemId));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TTL_MS);
    } finally {
      redis.disconnect();
    }
    const again = await post(itemId).expect(409);
    expect(again.body).toMatchObject({ error: 'DUPLICATE', reason: 'ALREADY_ACCEPTED', itemId });

    // Resubmitted until accepted: a refused resubmission changes nothing (the id stays as it was).
    const acceptedAgainAt = await waitFor(
      async () => {
        const answer = await post(itemId);
        if (answer.status === 202) return Date.now();
        expect(answer.body).toMatchObject({ reason: 'ALREADY_ACCEPTED' });
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `${itemId} accepted again after the dedup window` },
    );
    // Not before the window ended (it started after the first request was sent).
    expect(acceptedAgainAt - firstSentAt).toBeGreaterThanOrEqual(TTL_MS);

    // Accepted means published: the item is on the work topic twice, once per acceptance.
    await waitFor(() => work.values().filter((value) => value.itemId === itemId).length >= 2, {
      description: `${itemId} twice on the work topic`,
    });
    expect(work.values().filter((value) => value.itemId === itemId)).toHaveLength(2);
  }, 90_000);
});

describe('TOPIC_PREFIX: the prefix of the dedup scope', () => {
  // Two pipelines on one Redis with the same REDIS_KEY_PREFIX, told apart by their topic prefix only.
  const first = new TestEnv('dedup-scope-a');
  const second = new TestEnv('dedup-scope-b');
  const apps: INestApplication[] = [];
  const readers: TopicReader<typeof WorkItem.Schema>[] = [];

  beforeAll(async () => {
    for (const env of [first, second]) {
      const app = await createService(INGESTOR, env.config('ingestor', { REDIS_KEY_PREFIX: first.redisPrefix }));
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      readers.push(await workReader(env, env.topicPrefix, 'work'));
    }
  });

  afterAll(async () => {
    await Promise.allSettled(readers.map((reader) => reader.stop()));
    for (const app of apps) await app.close();
    await first.cleanup();
    await second.cleanup();
  });

  it('accepts the same item id in two pipelines with different topic prefixes on one Redis, and each still refuses its own duplicate', async () => {
    const itemId = `scope-${first.id}`;
    const [a, b] = apps as [INestApplication, INestApplication];
    await request(a.getHttpServer()).post('/v1/items').send(report(itemId)).expect(202);
    const inSecond = await request(b.getHttpServer()).post('/v1/items').send(report(itemId));
    expect({ status: inSecond.status, body: inSecond.body }).toMatchObject({ status: 202, body: { status: 'accepted', itemId } });

    for (const app of apps) {
      const duplicate = await request(app.getHttpServer()).post('/v1/items').send(report(itemId)).expect(409);
      expect(duplicate.body).toMatchObject({ reason: 'ALREADY_ACCEPTED' });
    }
    // Each pipeline's work topic has the item once.
    for (const reader of readers) {
      await waitFor(() => reader.values().some((value) => value.itemId === itemId), { description: `${itemId} on ${reader.topic}` });
      expect(reader.values().filter((value) => value.itemId === itemId)).toHaveLength(1);
    }
  });
});
