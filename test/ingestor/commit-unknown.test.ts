import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { SubmissionService } from '../../apps/ingestor/src/submission/submission.service';
import { BrokerFreeze } from '../support/broker-freeze';
import { countRecords } from '../support/record-count';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const PUBLISH_TIMEOUT_MS = 2_000;

const item = (n: number) => ({ itemId: `unknown-${n}`, key: `k-${n}`, type: 'report', payload: { n } });

/**
 * A request whose records were all acknowledged but whose commit gets no answer (the broker frozen
 * with SIGSTOP the moment the Produce response arrives, so the EndTxn waits): the ingestor cannot
 * know whether the items are accepted, and says so: 503 OUTCOME_UNKNOWN, the ids kept reserved, so
 * a retry right away is answered IN_FLIGHT rather than doubling them. Once the broker answers, the
 * commit goes through: each item is on the topic once.
 */
describe('a publish whose commit gets no answer', () => {
  const env = new TestEnv('commit-unknown');
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

  it('answers 503 OUTCOME_UNKNOWN, keeps the ids IN_FLIGHT for a quick retry, and the items land once', async () => {
    const http = () => request(app.getHttpServer());
    await http().post('/v1/batches').send({ batchId: 'warm-up', items: [item(0)] }).expect(202);

    // The ingestor's transactional producer, as it is now (it is replaced after a failed commit).
    const producer = (app.get(SubmissionService) as unknown as { publisher: { producer: Producer } }).publisher.producer;
    let armed = true;
    const removeListener = producer.on(producer.events.REQUEST, ({ payload }: { payload: { apiName: string } }) => {
      // Every record acknowledged: freeze before kafkajs sends the EndTxn.
      if (armed && payload.apiName === 'Produce') {
        armed = false;
        brokers?.freeze();
      }
    });
    let answer: request.Response;
    try {
      answer = await http().post('/v1/batches').send({ batchId: 'unknown', items: [item(1), item(2)] }).timeout(30_000);
    } finally {
      removeListener();
      brokers?.thaw();
    }
    expect(armed).toBe(false);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ statusCode: 503, error: 'OUTCOME_UNKNOWN', message: expect.stringContaining('a retry now is answered IN_FLIGHT') });

    // A retry right away cannot double them: the ids are still reserved.
    const retry = await http().post('/v1/batches').send({ batchId: 'retried', items: [item(1), item(2)] }).timeout(30_000);
    expect(retry.body.counts).toMatchObject({ accepted: 0 });
    expect(retry.body.duplicates.map((duplicate: { itemId: string; reason: string }) => [duplicate.itemId, duplicate.reason])).toEqual([
      ['unknown-1', 'IN_FLIGHT'],
      ['unknown-2', 'IN_FLIGHT'],
    ]);

    // The commit reached the broker once it answered again: each item on the topic once.
    await waitFor(() => work.values().length >= 3, { timeoutMs: 60_000, description: 'the committed items on the topic' });
    expect(await countRecords(env.kafka(), workTopic, 60_000)).toBe(3);
    expect(work.values().map((value) => value.itemId).sort()).toEqual(['unknown-0', 'unknown-1', 'unknown-2']);
  }, 120_000);
});
