import type { INestApplication } from '@nestjs/common';
import type Redis from 'ioredis';
import request from 'supertest';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';
import { dedupKey, dedupStore } from './support/dedup-keys';

const env = new TestEnv('in-flight');
const config = env.config('ingestor');

const report = (itemId: string, n = 1) => ({
  itemId,
  key: `PF-${n}`,
  type: 'portfolio-report',
  payload: { portfolioId: `PF-${n}`, date: '2026-11-22' },
});

/**
 * An id reserved and not yet confirmed (another request publishing it right
 * now, or one whose commit outcome is unknown) is a duplicate `IN_FLIGHT`,
 * told apart from `ALREADY_ACCEPTED`, over HTTP as for the source consumer.
 */
describe('POST /v1/items and /v1/batches for an id in flight', () => {
  let app: INestApplication;
  let redis: Redis;
  let work: TopicReader<typeof WorkItem.Schema>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');
    redis = env.redis();
    work = await new TopicReader(env.kafka(), new RegistrySerde(config.schemaRegistry), topicName(env.topicPrefix, TOPICS.work), WorkItem, `${env.id}-work`).start();
  });

  afterAll(async () => {
    await work?.stop();
    redis?.disconnect();
    await app?.close();
    await env.cleanup();
  });

  /** As another ingestor instance between reserving an id and confirming it. */
  async function reserveElsewhere(itemId: string) {
    const store = dedupStore(redis, env.redisPrefix, env.topicPrefix, 120_000);
    const { reserved } = await store.reserve([itemId]);
    expect(reserved).toEqual([itemId]);
    return store;
  }

  it('answers a single item 409 DUPLICATE with reason IN_FLIGHT, and leaves the reservation as it was', async () => {
    const itemId = `pending-${env.id}`;
    await reserveElsewhere(itemId);
    const answer = await http().post('/v1/items').send(report(itemId)).expect(409);
    expect(answer.body).toMatchObject({ statusCode: 409, error: 'DUPLICATE', reason: 'IN_FLIGHT', itemId });
    expect(await redis.get(dedupKey(env.redisPrefix, env.topicPrefix, itemId))).toBe('pending');
  });

  it('lists an id in flight by index as IN_FLIGHT in a batch, accepting the others; all in flight is a 409', async () => {
    const pending = `batch-pending-${env.id}`;
    const fresh = `batch-fresh-${env.id}`;
    await reserveElsewhere(pending);
    const mixed = await http()
      .post('/v1/batches')
      .send({ batchId: `b-${env.id}`, items: [report(pending, 1), report(fresh, 2)] })
      .expect(202);
    expect(mixed.body.counts).toEqual({ accepted: 1, rejected: 0, duplicates: 1 });
    expect(mixed.body.duplicates).toEqual([{ index: 0, itemId: pending, reason: 'IN_FLIGHT' }]);
    expect(mixed.body.accepted).toEqual([{ index: 1, itemId: fresh }]);

    const allPending = await http()
      .post('/v1/batches')
      .send({ batchId: `b2-${env.id}`, items: [report(pending, 1)] })
      .expect(409);
    expect(allPending.body).toMatchObject({ error: 'ALL_DUPLICATES', duplicates: [{ index: 0, itemId: pending, reason: 'IN_FLIGHT' }] });
  });

  it('accepts the id once its reservation is released (the other publish definitely failed)', async () => {
    const itemId = `released-${env.id}`;
    const store = await reserveElsewhere(itemId);
    await http().post('/v1/items').send(report(itemId)).expect(409);
    await store.release([itemId]);
    await http().post('/v1/items').send(report(itemId)).expect(202);
    await waitFor(() => work.values().some((value) => value.itemId === itemId), { description: `${itemId} on the work topic` });
    expect(work.values().filter((value) => value.itemId === itemId)).toHaveLength(1);
  });
});
