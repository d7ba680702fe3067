import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { keyForPartition } from '../support/partition-keys';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const PARTITIONS = 6;
const env = new TestEnv('oversize');
const config = env.config('ingestor', { TOPIC_PARTITIONS: String(PARTITIONS) });

const item = (itemId: string, key: string, payload: Record<string, unknown> = {}) => ({
  itemId,
  key,
  type: 'portfolio-report',
  payload: { portfolioId: key, ...payload },
});

/**
 * The reproduction of "items answered 202 never reach Kafka after one
 * oversized request": a batch with one record over the broker's limit used to
 * get a 503 while its other items were written, and later items on those
 * partitions were answered 202 without ever being written.
 */
describe('after a request with an item over the broker limit', () => {
  let app: INestApplication;
  let work: TopicReader<typeof WorkItem.Schema>;
  const http = () => request(app.getHttpServer());
  const onTopic = () => new Set(work.values().map((value) => value.itemId));

  beforeAll(async () => {
    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');
    work = await new TopicReader(
      env.kafka(),
      new RegistrySerde(config.schemaRegistry),
      topicName(config.kafka.topicPrefix, TOPICS.work),
      WorkItem,
      `${env.id}-reader`,
    ).start();
  });

  afterAll(async () => {
    await work?.stop();
    await app?.close();
    await env.cleanup();
  });

  it('rejects the oversized item with a 4xx naming the limit, accepts exactly the items it lists, and every later 202 is on the topic', async () => {
    const keys = Array.from({ length: PARTITIONS }, (_, partition) => keyForPartition(partition, PARTITIONS, 'PF'));
    const small = keys.slice(1).map((key, index) => item(`small-${index + 1}`, key));
    const big = item('big-0', keys[0]!, { blob: 'x'.repeat(1_100_000) });

    const batch = await http().post('/v1/batches').send({ batchId: 'b-oversize', items: [big, ...small] });
    const alone = await http().post('/v1/items').send(item('big-alone', keys[0]!, { blob: 'y'.repeat(1_100_000) }));

    // A burst right after, on every partition: each item answered 202 must be on the topic.
    const burst = keys.flatMap((key, partition) => [0, 1].map((n) => item(`after-${partition}-${n}`, key)));
    const answers = new Map<string, number>();
    for (const next of burst) answers.set(next.itemId, (await http().post('/v1/items').send(next)).status);
    const acceptedLater = burst.map((entry) => entry.itemId).filter((id) => answers.get(id) === 202);
    await waitFor(() => acceptedLater.every((id) => onTopic().has(id)), {
      timeoutMs: 15_000,
      description: 'every item answered 202 on the work topic',
    }).catch(() => undefined);
    expect(acceptedLater.filter((id) => !onTopic().has(id))).toEqual([]);
    expect(acceptedLater).toHaveLength(burst.length);

    // The oversized item alone is refused with the limit; the batch answer lists exactly what is on the topic.
    expect(batch.status).toBe(202);
    expect(batch.body.rejected).toEqual([
      { index: 0, itemId: 'big-0', code: 'TOO_LARGE', reason: expect.stringMatching(/too large.*\d+ bytes.*limit of \d+ bytes/i) },
    ]);
    const acceptedInBatch = batch.body.accepted.map((entry: { itemId: string }) => entry.itemId).sort();
    expect(acceptedInBatch).toEqual(small.map((entry) => entry.itemId).sort());
    await waitFor(() => acceptedInBatch.every((id: string) => onTopic().has(id)), { timeoutMs: 15_000, description: 'the batch items on the topic' });
    expect(alone.status).toBe(413);
    expect(alone.body.message).toMatch(/limit of \d+ bytes/);
    expect(onTopic().has('big-0')).toBe(false);
    expect(onTopic().has('big-alone')).toBe(false);
  });
});
