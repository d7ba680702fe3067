import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { MAX_BATCH_ITEMS, TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { countRecords } from '../support/record-count';
import { waitFor } from '../support/wait-for';

const env = new TestEnv('ingest-http');
const API_KEY = 'test-key-123';
const config = env.config('ingestor', { API_KEYS: API_KEY });
const workTopic = topicName(config.kafka.topicPrefix, TOPICS.work);

const portfolio = (n: number, extra: Record<string, unknown> = {}) => ({
  itemId: `PF-${String(n).padStart(4, '0')}-2026-11-22`,
  key: `PF-${String(n).padStart(4, '0')}`,
  type: 'portfolio-report',
  payload: { portfolioId: `PF-${String(n).padStart(4, '0')}`, date: '2026-11-22' },
  ...extra,
});

describe('ingestor HTTP API', () => {
  let app: INestApplication;
  let work: TopicReader<typeof WorkItem.Schema>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');
    work = await new TopicReader(
      env.kafka(),
      new RegistrySerde(config.schemaRegistry),
      workTopic,
      WorkItem,
      `${env.id}-reader`,
    ).start();
  });

  afterAll(async () => {
    await work?.stop();
    await app?.close();
    await env.cleanup();
  });

  it('refuses writes without the API key, or with a wrong one', async () => {
    const missing = await http().post('/v1/items').send(portfolio(900)).expect(401);
    expect(missing.body).toMatchObject({ error: 'API_KEY_MISSING' });
    const wrong = await http().post('/v1/batches').set('x-api-key', 'nope').send({ items: [portfolio(901)] }).expect(401);
    expect(wrong.body).toMatchObject({ error: 'API_KEY_INVALID' });
    await http().post('/v1/items').set('authorization', `Bearer ${API_KEY}`).send(portfolio(902)).expect(202);
  });

  it('says which JSON is malformed', async () => {
    const response = await http()
      .post('/v1/batches')
      .set('x-api-key', API_KEY)
      .set('content-type', 'application/json')
      .send('{"items": [ {"key": "a",, } ]')
      .expect(400);
    expect(response.body).toMatchObject({ error: 'MALFORMED_JSON' });
    expect(response.body.message).toMatch(/not valid JSON/);
  });

  it('rejects wrong types item by item, naming the field', async () => {
    const single = await http().post('/v1/items').set('x-api-key', API_KEY).send({ key: 7, type: 'x' }).expect(400);
    expect(single.body).toMatchObject({ error: 'INVALID_ITEM' });
    expect(single.body.message).toMatch(/key: /);

    const batch = await http()
      .post('/v1/batches')
      .set('x-api-key', API_KEY)
      .send({ items: [portfolio(1), { key: 'PF-X', type: 'Not Valid' }, portfolio(2, { payload: 'text' })] })
      .expect(202);
    expect(batch.body.counts).toEqual({ accepted: 1, rejected: 2, duplicates: 0 });
    expect(batch.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
    expect(batch.body.rejected[0].reason).toMatch(/^type: /);
    expect(batch.body.rejected[1].reason).toMatch(/^payload: /);

    const envelope = await http().post('/v1/batches').set('x-api-key', API_KEY).send([portfolio(3)]).expect(400);
    expect(envelope.body).toMatchObject({ error: 'INVALID_BODY' });
  });

  it(`turns away more than ${MAX_BATCH_ITEMS} items with 413`, async () => {
    const items = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => portfolio(2000 + i));
    const response = await http().post('/v1/batches').set('x-api-key', API_KEY).send({ items }).expect(413);
    expect(response.body).toMatchObject({ error: 'BATCH_TOO_LARGE' });
    expect(response.body.message).toMatch(/at most 1000 items; this one has 1001/);
  });

  it('reports duplicates within a batch and against accepted items, and publishes each item once', async () => {
    const first = await http()
      .post('/v1/batches')
      .set('x-api-key', API_KEY)
      .send({ batchId: 'dup-batch', items: [portfolio(10), portfolio(11), portfolio(10)] })
      .expect(202);
    expect(first.body.counts).toEqual({ accepted: 2, rejected: 0, duplicates: 1 });
    expect(first.body.duplicates).toEqual([{ index: 2, itemId: 'PF-0010-2026-11-22', reason: 'DUPLICATE_IN_REQUEST' }]);

    const again = await http()
      .post('/v1/batches')
      .set('x-api-key', API_KEY)
      .send({ batchId: 'dup-batch', items: [portfolio(10), portfolio(11)] })
      .expect(409);
    expect(again.body.duplicates.map((d: { reason: string }) => d.reason)).toEqual(['ALREADY_ACCEPTED', 'ALREADY_ACCEPTED']);

    const single = await http().post('/v1/items').set('x-api-key', API_KEY).send(portfolio(10)).expect(409);
    expect(single.body).toMatchObject({ error: 'DUPLICATE', reason: 'ALREADY_ACCEPTED' });
  });

  it('puts exactly the accepted items in Kafka, keyed by entity, with readable headers', async () => {
    // Its own request, so the test stands alone (-t) and does not lean on what the others accepted.
    const batch = await http()
      .post('/v1/batches')
      .set('x-api-key', API_KEY)
      .send({ batchId: 'exact-batch', items: [portfolio(20), portfolio(21), portfolio(20), { key: 'PF-X', type: 'Not Valid' }] })
      .expect(202);
    expect(batch.body.counts).toEqual({ accepted: 2, rejected: 1, duplicates: 1 });

    // Every request of this file has been answered, so the topic is complete: count its committed records
    // to the end (exact, no waiting for stragglers) and have the reader hold exactly those.
    const records = await countRecords(env.kafka(), workTopic);
    await waitFor(() => work.events.length >= records, { description: 'the reader at the end of the work topic' });
    expect(work.events).toHaveLength(records);
    // Each accepted item once, whatever the other tests of this file accepted.
    expect(new Set(work.values().map((item) => item.itemId)).size).toBe(records);
    // Nothing of a refused request (401, 413, an item rejected in its batch) is there.
    expect(work.values().filter((item) => /^PF-(0900|0901|0002|2\d{3}|3000)-/.test(item.itemId))).toEqual([]);
    const ofBatch = work.events.filter((e) => e.value.batchId === 'exact-batch');
    expect(ofBatch.map((e) => e.value.itemId).sort()).toEqual(['PF-0020-2026-11-22', 'PF-0021-2026-11-22']);

    const event = ofBatch.find((e) => e.value.itemId === 'PF-0020-2026-11-22')!;
    expect(event.key).toBe('PF-0020');
    expect(event.value).toMatchObject({ attempt: 1, batchId: 'exact-batch', history: [], type: 'portfolio-report' });
    expect(event.headers).toMatchObject({
      'x-item-id': 'PF-0020-2026-11-22',
      'x-batch-id': 'exact-batch',
      'x-attempt': '1',
      'x-event-type': 'WorkItem',
    });
    expect(event.headers['x-correlation-id']).toBe(event.value.correlationId);
  });
});
