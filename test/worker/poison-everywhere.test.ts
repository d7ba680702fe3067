import request from 'supertest';
import { IngestRejected, retryTopicName, TOPICS, topicName, WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { PROCESSOR } from '../../apps/processor/src';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { PipelineHarness } from '../support/pipeline-harness';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const logger = createLogger({ service: 'test', level: 'silent' });

/**
 * One poison rule on every topic the pipeline consumes: a tombstone and
 * garbage bytes are set aside to ingest.rejected, once each (by the topic's
 * owner: the processor for work, the retrier for failed and the delay tiers,
 * stats for succeeded and abandoned), with their bytes and position, and the
 * message after them is handled.
 */
describe('poison on every consumed topic', () => {
  const env = new TestEnv('poison');
  const harness = new PipelineHarness(env);
  const overrides = { TIME_SCALE: '0.001', DELAY_TIERS: '1s,5s', KEY_CIRCUIT_FAILURES: '0' };
  const config = env.config('retrier', overrides);
  const serde = new RegistrySerde(config.schemaRegistry);
  const topic = (base: string) => `${env.topicPrefix}${base}`;

  afterAll(async () => {
    await harness.close();
    await env.cleanup();
  });

  it('sets each poison message aside once, with its position, and handles the next message', async () => {
    await harness.start(PROCESSOR, overrides);
    await harness.start(RETRIER, overrides);
    const stats = await harness.start(STATS, overrides);
    const rejected = await new TopicReader(env.kafka(), serde, topic(TOPICS.ingestRejected), IngestRejected, `${env.id}-r`).start();
    const work = await new TopicReader(env.kafka(), serde, topic(TOPICS.work), WorkItem, `${env.id}-w`).start();
    const failedOut = await new TopicReader(env.kafka(), serde, topic(TOPICS.failed), WorkFailed, `${env.id}-f`).start();
    const producer = env.kafka().producer();
    await producer.connect();
    const publisher = new EventPublisher(env.kafka(), serde, logger);
    await publisher.connect();
    try {
      const poisoned = [TOPICS.work, TOPICS.failed, TOPICS.succeeded, TOPICS.abandoned].map(topic);
      const tier = retryTopicName(env.topicPrefix, 1000);
      for (const name of [...poisoned, tier]) {
        await producer.send({
          topic: name,
          messages: [
            { key: 'poison', value: null, partition: 0 },
            { key: 'poison', value: Buffer.from([0xde, 0xad, 0xbe, 0xef]), partition: 0 },
          ],
        });
      }
      const now = new Date().toISOString();
      const item = (itemId: string) => ({ itemId, key: itemId, type: 'nobody-handles-this', payload: {}, attempt: 1, createdAt: now, correlationId: itemId, history: [] });
      const failure = { type: 'API_ERROR', message: 'HTTP 503', retryable: true };
      await publisher.publish(topic(TOPICS.work), WorkItem, [{ key: 'poison', value: item('after-work') }]);
      await publisher.publish(topic(TOPICS.failed), WorkFailed, [
        { key: 'poison', value: { item: item('after-failed'), failure, failedAt: now, durationMs: 1, source: { topic: 'w', partition: 0, offset: '0' } } },
      ]);
      await publisher.publish(topic(TOPICS.succeeded), WorkSucceeded, [
        {
          key: 'poison',
          value: { itemId: 'after-succeeded', key: 'poison', type: 'x', attempt: 1, correlationId: 'c', createdAt: now, completedAt: now, durationMs: 1, result: {}, history: [], source: { topic: 'w', partition: 0, offset: '0' } },
        },
      ]);
      await publisher.publish(topic(TOPICS.abandoned), WorkAbandoned, [
        { key: 'poison', value: { item: item('after-abandoned'), reason: 'NOT_RETRYABLE', detail: 'd', lastFailure: failure, abandonedAt: now } },
      ]);
      await publisher.publish(tier, WorkItem, [{ key: 'poison', value: item('after-tier'), headers: { 'x-due-at': String(Date.now()) } }]);

      const expected = [...poisoned, tier].flatMap((name) => [`${name}@0:null`, `${name}@1:${Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64')}`]);
      const seen = () => rejected.values().map((event) => `${event.sourceTopic}@${event.offset}:${event.valueBase64}`);
      await waitFor(() => expected.every((entry) => seen().includes(entry)), { timeoutMs: 60_000, description: 'every poison message set aside' });
      // Each message after the poison was handled: the processor's outcome, the retrier's retry, stats' counts.
      await waitFor(() => failedOut.values().some((event) => event.item.itemId === 'after-work'), { timeoutMs: 30_000, description: 'the work item handled' });
      await waitFor(() => work.values().some((event) => event.itemId === 'after-failed' && event.attempt === 2), { timeoutMs: 30_000, description: 'the failure retried' });
      await waitFor(() => work.values().some((event) => event.itemId === 'after-tier'), { timeoutMs: 30_000, description: 'the delayed retry fired' });
      await waitFor(
        async () => {
          const view = (await request(stats.getHttpServer()).get('/v1/stats')).body as { items?: { succeeded: number; abandoned: number } };
          return (view.items?.succeeded ?? 0) >= 1 && (view.items?.abandoned ?? 0) >= 1;
        },
        { timeoutMs: 30_000, description: 'stats counting the success and the dead letter' },
      );
      // Set aside exactly once each, even where two consumers read the topic.
      expect(seen().filter((entry) => expected.includes(entry)).sort()).toEqual([...expected].sort());
    } finally {
      await Promise.allSettled([producer.disconnect(), publisher.disconnect(), rejected.stop(), work.stop(), failedOut.stop()]);
    }
  });
});
