import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { BrokerFreeze } from '../support/broker-freeze';
import { countRecords } from '../support/record-count';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const PUBLISH_TIMEOUT_MS = 2_000;

const item = (n: number) => ({ itemId: `slow-${n}`, key: `k-${n}`, type: 'report', payload: { n } });

/**
 * A request whose publish passes PUBLISH_TIMEOUT_MS (the broker frozen with SIGSTOP: sockets open,
 * nothing answered) is answered 503 "nothing was accepted, retry", and that is true: once the broker
 * answers again, the requests kafkajs had queued for it reach it, yet nothing of the request is ever
 * visible to read_committed readers, and its ids are free for the client's retry.
 */
describe('a publish that passes PUBLISH_TIMEOUT_MS', () => {
  const env = new TestEnv('publish-timeout');
  const config = env.config('ingestor', { PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS) });
  const workTopic = topicName(config.kafka.topicPrefix, TOPICS.work);
  let app: INestApplication;
  let work: TopicReader<typeof WorkItem.Schema>;
  let brokers: BrokerFreeze | undefined;

  beforeAll(async () => {
    brokers = await BrokerFreeze.ofLocalStack();
    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');
    work = await new TopicReader(env.kafka(), new RegistrySerde(config.schemaRegistry), workTopic, WorkItem, `${env.id}-reader`).start();
  });

  afterAll(async () => {
    brokers?.thaw();
    await work?.stop();
    await app?.close();
    await env.cleanup();
  });

  it('answers 503 UNAVAILABLE, leaves nothing visible once the broker is back, and accepts the retry whole, once', async () => {
    const http = () => request(app.getHttpServer());
    await http().post('/v1/batches').send({ batchId: 'before', items: [item(0)] }).expect(202);
    await waitFor(() => work.values().some((value) => value.itemId === 'slow-0'), { timeoutMs: 30_000, description: 'the first item on the topic' });

    brokers?.freeze();
    let answer: request.Response;
    try {
      answer = await http().post('/v1/batches').send({ batchId: 'frozen', items: [item(1), item(2), item(3)] }).timeout(30_000);
    } finally {
      brokers?.thaw();
    }
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ statusCode: 503, error: 'UNAVAILABLE', message: expect.stringContaining('nothing was accepted, retry') });

    // The client retries as told: accepted whole (the ids were freed, none is IN_FLIGHT).
    const retry = await http().post('/v1/batches').send({ batchId: 'retried', items: [item(1), item(2), item(3)] }).timeout(30_000).expect(202);
    expect(retry.body.counts).toEqual({ accepted: 3, rejected: 0, duplicates: 0 });

    // Read to the end of the topic, read_committed: each item once, from the retried request only.
    const records = await countRecords(env.kafka(), workTopic, 60_000);
    expect(records).toBe(4);
    await waitFor(() => work.values().length >= 4, { timeoutMs: 30_000, description: 'the reader at the end of the topic' });
    const byItem = new Map<string, string[]>();
    for (const event of work.events) byItem.set(event.value.itemId, [...(byItem.get(event.value.itemId) ?? []), event.headers['x-batch-id'] as string]);
    expect(Object.fromEntries(byItem)).toEqual({ 'slow-0': ['before'], 'slow-1': ['retried'], 'slow-2': ['retried'], 'slow-3': ['retried'] });
  }, 120_000);
});
