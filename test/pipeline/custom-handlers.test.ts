import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { IngestRejected, TOPICS, topicName, WorkFailed, WorkSucceeded, type WorkItem } from '@workpipe/contracts';
import { WorkFailureError } from '@workpipe/failure-classification';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR, ProcessorModule, WorkHandlerFor, type HandlerResult, type WorkHandler } from '../../apps/processor/src';
import { PipelineHarness } from '../support/pipeline-harness';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/** A team's own handler, with a failure type of its own. */
@Injectable()
@WorkHandlerFor({ type: 'billing-message', downstream: 'billing-gateway' })
class BillingMessageHandler implements WorkHandler {
  async handle(item: WorkItem.Value): Promise<HandlerResult> {
    if (item.payload.card === 'declined') {
      throw new WorkFailureError('GATEWAY_DECLINED', 'the gateway declined the card', { code: 'D05', retryable: false });
    }
    return { summary: { sent: true, amount: item.payload.amount } };
  }
}

describe('handlers of your own, unknown types and poison messages', () => {
  const env = new TestEnv('handlers');
  const harness = new PipelineHarness(env);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let rejected: TopicReader<typeof IngestRejected.Schema>;
  let submit: (items: unknown[]) => Promise<unknown>;

  beforeAll(async () => {
    const ingestor = await harness.start(INGESTOR);
    await harness.start({ ...PROCESSOR, module: (config) => ProcessorModule.forRoot(config, { handlers: [BillingMessageHandler] }) });
    submit = (items) => request(ingestor.getHttpServer()).post('/v1/batches').send({ items }).expect(202);
    const topic = (base: (typeof TOPICS)[keyof typeof TOPICS]) => topicName(env.topicPrefix, base);
    succeeded = await new TopicReader(env.kafka(), serde, topic(TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    failed = await new TopicReader(env.kafka(), serde, topic(TOPICS.failed), WorkFailed, `${env.id}-f`).start();
    rejected = await new TopicReader(env.kafka(), serde, topic(TOPICS.ingestRejected), IngestRejected, `${env.id}-r`).start();
  });

  afterAll(async () => {
    await Promise.allSettled([succeeded?.stop(), failed?.stop(), rejected?.stop()]);
    await harness.close();
    await env.cleanup();
  });

  it('runs a registered handler, and its own failure type travels as is', async () => {
    await submit([
      { itemId: 'msg-1', key: 'customer-1', type: 'billing-message', payload: { amount: 10 } },
      { itemId: 'msg-2', key: 'customer-2', type: 'billing-message', payload: { card: 'declined' } },
      { itemId: 'msg-3', key: 'customer-3', type: 'no-such-type', payload: {} },
    ]);
    await waitFor(() => succeeded.events.length + failed.events.length >= 3, { description: 'three outcomes' });
    expect(succeeded.values().map((event) => [event.itemId, event.result])).toEqual([['msg-1', { sent: true, amount: 10 }]]);
    const failures = Object.fromEntries(failed.values().map((event) => [event.item.itemId, event.failure]));
    expect(failures['msg-2']).toEqual({ type: 'GATEWAY_DECLINED', message: 'the gateway declined the card', code: 'D05', retryable: false });
    expect(failures['msg-3']).toMatchObject({ type: 'VALIDATION', code: 'UNKNOWN_WORK_TYPE', retryable: false });
  });

  it('moves a poison message on the work topic aside with its bytes, and keeps going', async () => {
    const producer = env.kafka().producer();
    await producer.connect();
    await producer.send({
      topic: topicName(env.topicPrefix, TOPICS.work),
      messages: [{ key: 'customer-9', value: Buffer.from('not a work item'), headers: { origin: 'someone' } }],
    });
    await producer.disconnect();
    await submit([{ itemId: 'msg-after-poison', key: 'customer-9', type: 'billing-message', payload: { amount: 1 } }]);

    await waitFor(() => rejected.events.length >= 1, { description: 'the poison message in ingest.rejected' });
    const poison = rejected.values()[0]!;
    expect(Buffer.from(poison.valueBase64 ?? '', 'base64').toString()).toBe('not a work item');
    expect(poison).toMatchObject({ sourceTopic: topicName(env.topicPrefix, TOPICS.work), headers: { origin: 'someone' } });
    expect(poison.reason).toMatch(/WorkItem/);
    await waitFor(() => succeeded.values().some((event) => event.itemId === 'msg-after-poison'), {
      description: 'the item after the poison message',
    });
  });
});
