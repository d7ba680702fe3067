import { retryTopicName, TOPICS, topicName, WorkAbandoned, WorkFailed, WorkItem } from '@workpipe/contracts';
import { delayTopics, EventPublisher, pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { PipelineHarness } from '../support/pipeline-harness';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const logger = createLogger({ service: 'test', level: 'silent' });

/**
 * A retry its delay topic cannot take (over the topic's max.message.bytes)
 * becomes a dead letter saying why, and the retries after it still land: the
 * retrier's publisher never stalls or loses later events on one it cannot write.
 */
describe('a retry that cannot be published', () => {
  const env = new TestEnv('bigretry');
  const harness = new PipelineHarness(env);
  const overrides = { TIME_SCALE: '0.001', DELAY_TIERS: '1s,5s', KEY_CIRCUIT_FAILURES: '0' };
  const config = env.config('retrier', overrides);
  const serde = new RegistrySerde(config.schemaRegistry);

  afterAll(async () => {
    await harness.close();
    await env.cleanup();
  });

  it('is dead-lettered with the reason, and the next retries land', async () => {
    const admin = env.kafka().admin();
    await admin.connect();
    // The delay tier takes 50 KiB per record batch: a 60 KB item fits the failed topic, not its retry.
    await new TopicProvisioner(admin, logger).ensure([
      ...pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'ingestRejected']),
      ...delayTopics(config).map((spec) => ({ ...spec, configs: { ...spec.configs, 'max.message.bytes': String(50 * 1024) } })),
    ]);
    await admin.disconnect();
    await harness.start(RETRIER, overrides);
    const work = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.work), WorkItem, `${env.id}-w`).start();
    const abandoned = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.abandoned), WorkAbandoned, `${env.id}-a`).start();
    const publisher = new EventPublisher(env.kafka(), serde, logger);
    await publisher.connect();
    try {
      const failedAt = new Date().toISOString();
      const failure = (itemId: string, payload: Record<string, unknown>) => ({
        key: `k-${itemId}`,
        value: {
          item: { itemId, key: `k-${itemId}`, type: 'report', payload, attempt: 1, createdAt: failedAt, correlationId: itemId, history: [] },
          failure: { type: 'API_ERROR', message: 'HTTP 503', code: 'HTTP_503', retryable: true },
          failedAt,
          durationMs: 3,
          source: { topic: 'w', partition: 0, offset: '1' },
        },
      });
      await publisher.publish(topicName(env.topicPrefix, TOPICS.failed), WorkFailed, [
        failure('big-1', { blob: 'x'.repeat(60_000) }),
        failure('small-1', {}),
        failure('small-2', {}),
      ]);
      await waitFor(() => abandoned.values().some((event) => event.item.itemId === 'big-1'), { timeoutMs: 30_000, description: 'the big item dead-lettered' });
      const dead = abandoned.values().find((event) => event.item.itemId === 'big-1');
      expect(dead).toMatchObject({ reason: 'NOT_RETRYABLE', detail: expect.stringMatching(/its retry cannot be produced: .*over the limit of \d+ bytes/) });
      expect(dead?.item.payload.blob).toHaveLength(60_000);
      await waitFor(() => ['small-1', 'small-2'].every((id) => work.values().some((item) => item.itemId === id && item.attempt === 2)), {
        timeoutMs: 30_000,
        description: 'the small items retried on the work topic',
      });
      expect(retryTopicName(env.topicPrefix, 1000)).toMatch(/retry\.1s$/);
    } finally {
      await Promise.allSettled([publisher.disconnect(), work.stop(), abandoned.stop()]);
    }
  });
});
