import type { INestApplication } from '@nestjs/common';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
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
const env = new TestEnv('atomic');
const config = env.config('ingestor', { TOPIC_PARTITIONS: String(PARTITIONS) });
const workTopic = topicName(config.kafka.topicPrefix, TOPICS.work);

const item = (itemId: string, key: string, payload: Record<string, unknown> = {}) => ({
  itemId,
  key,
  type: 'portfolio-report',
  payload: { portfolioId: key, ...payload },
});

/**
 * "Nothing was accepted" must be true when it is said. A batch whose produce
 * request the broker refuses on one partition (its limit lowered after the
 * ingestor read it, so the ingestor's own size check passes) is written on the
 * other partitions; the ingestor publishes each request in one transaction and
 * aborts it, so the pipeline (reading read_committed) sees none of it, the ids
 * are free again, and the same batch retried is accepted whole, once.
 */
describe('a batch the broker refuses part of', () => {
  let app: INestApplication;
  let admin: Admin;
  let committed: TopicReader<typeof WorkItem.Schema>;
  let uncommitted: TopicReader<typeof WorkItem.Schema>;
  const http = () => request(app.getHttpServer());
  const ids = (reader: TopicReader<typeof WorkItem.Schema>) => reader.values().map((value) => value.itemId);
  const setTopicLimit = (bytes: number) =>
    admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: workTopic, configEntries: [{ name: 'max.message.bytes', value: String(bytes) }] }],
    });

  beforeAll(async () => {
    app = await createService(INGESTOR, config);
    await app.listen(0, '127.0.0.1');
    admin = env.kafka().admin();
    await admin.connect();
    const serde = new RegistrySerde(config.schemaRegistry);
    committed = await new TopicReader(env.kafka(), serde, workTopic, WorkItem, `${env.id}-committed`).start();
    uncommitted = await new TopicReader(env.kafka(), serde, workTopic, WorkItem, `${env.id}-uncommitted`, true).start();
  });

  afterAll(async () => {
    await Promise.allSettled([committed?.stop(), uncommitted?.stop()]);
    await admin?.disconnect();
    await app?.close();
    await env.cleanup();
  });

  it('answers 503 "nothing was accepted" with none of it in the pipeline, and the retried batch is accepted whole, once', async () => {
    const keys = Array.from({ length: PARTITIONS }, (_, partition) => keyForPartition(partition, PARTITIONS, 'PF'));
    // The ingestor reads the work topic's limit (1 MB) on its first request.
    const first = await http().post('/v1/items').send(item('warm-up', keys[0]!));
    expect(first.status).toBe(202);

    await setTopicLimit(20_000);
    const small = keys.slice(1).map((key, index) => item(`small-${index + 1}`, key));
    const large = [item('large-0', keys[0]!, { blob: 'x'.repeat(30_000) })];
    const batch = { batchId: 'b-atomic', items: [...small, ...large] };
    const refused = await http().post('/v1/batches').send(batch);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'UNAVAILABLE', message: expect.stringMatching(/nothing was accepted, retry$/) });

    // The broker did write the small items, in a transaction that was aborted: visible to read_uncommitted only.
    await waitFor(() => small.every((entry) => ids(uncommitted).includes(entry.itemId)), {
      timeoutMs: 15_000,
      description: 'the aborted records on the topic (read_uncommitted)',
    });
    expect(ids(committed).filter((id) => id !== 'warm-up')).toEqual([]);

    // With the limit back, the same batch is accepted whole (its ids were freed) and each item is in the pipeline once.
    await setTopicLimit(1_048_588);
    const retried = await http().post('/v1/batches').send(batch);
    expect(retried.status).toBe(202);
    expect(retried.body.counts).toEqual({ accepted: batch.items.length, rejected: 0, duplicates: 0 });
    const expected = ['warm-up', ...batch.items.map((entry) => entry.itemId)].sort();
    await waitFor(() => ids(committed).length >= expected.length, { timeoutMs: 15_000, description: 'the retried batch in the pipeline' });
    expect(ids(committed).sort()).toEqual(expected);

    // And later requests on every partition are all in the pipeline (the refused request left no stale sequence behind).
    const later = keys.map((key, partition) => item(`later-${partition}`, key));
    for (const next of later) expect((await http().post('/v1/items').send(next)).status).toBe(202);
    await waitFor(() => later.every((entry) => ids(committed).includes(entry.itemId)), { timeoutMs: 15_000, description: 'later items in the pipeline' });
    expect(ids(committed)).toHaveLength(expected.length + later.length);
  });
});
