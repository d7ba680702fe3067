import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { IngestRejected } from '@workpipe/contracts';
import { EventPublisher, PublishError, RegistrySerde, TopicLimits, TopicProvisioner, pipelineTopic } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { keyForPartition } from '../support/partition-keys';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const PARTITIONS = 6;
const env = new TestEnv('publisher');
const config = env.config('ingestor', { TOPIC_PARTITIONS: String(PARTITIONS) });
const logger = createLogger({ service: 'test', level: 'silent' });

/** Limits that claim more than the broker accepts: the size check lets an oversized record through to the broker. */
class GenerousLimits extends TopicLimits {
  constructor() {
    super({ describeConfigs: () => Promise.reject(new Error('not asked')) });
  }
  override maxBatchBytes(): Promise<number> {
    return Promise.resolve(64 * 1024 * 1024);
  }
}

const rejection = (key: string, marker: string, bytes = 10) => ({
  key,
  value: {
    sourceTopic: 'src',
    partition: 0,
    offset: '0',
    keyBase64: null,
    valueBase64: Buffer.alloc(bytes).toString('base64'),
    headers: {},
    reason: marker,
    rejectedAt: new Date().toISOString(),
  },
});

/**
 * The idempotent producer after a request the broker refused for one partition
 * and wrote for the others: kafkajs winds back the sequence numbers of every
 * partition of the request, and the next batch on a written partition reuses
 * a number the broker has seen (acknowledged as a duplicate, never written).
 * The publisher must replace its producer after any failed request.
 */
describe('EventPublisher after a request that failed on one partition', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let reader: TopicReader<typeof IngestRejected.Schema>;
  const topic = pipelineTopic(config.kafka, 'ingestRejected');

  beforeAll(async () => {
    kafka = env.kafka();
    const admin = kafka.admin();
    await admin.connect();
    await new TopicProvisioner(admin, logger).ensure([{ ...topic, configs: { 'max.message.bytes': String(100 * 1024) } }]);
    await admin.disconnect();
    const serde = new RegistrySerde(config.schemaRegistry);
    publisher = new EventPublisher(kafka, serde, logger, { limits: new GenerousLimits() });
    await publisher.connect();
    reader = await new TopicReader(kafka, serde, topic.name, IngestRejected, `${env.id}-reader`).start();
  });

  afterAll(async () => {
    await reader?.stop();
    await publisher?.disconnect();
    await env.cleanup();
  });

  it('writes every event it acknowledges afterwards, on every partition', async () => {
    const keys = Array.from({ length: PARTITIONS }, (_, partition) => keyForPartition(partition, PARTITIONS, 'k'));
    const failed = await publisher
      .publish(topic.name, IngestRejected, [
        rejection(keys[0]!, 'too-big', 200 * 1024),
        ...keys.slice(1).map((key) => rejection(key, `first-${key}`)),
      ])
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(PublishError);

    const later = keys.map((key) => `later-${key}-${randomUUID()}`);
    for (const [index, marker] of later.entries()) {
      await publisher.publish(topic.name, IngestRejected, [rejection(keys[index]!, marker)]);
    }
    const seen = () => new Set(reader.values().map((value) => value.reason));
    await waitFor(() => later.every((marker) => seen().has(marker)), { timeoutMs: 15_000 }).catch(() => undefined);
    expect(later.filter((marker) => !seen().has(marker))).toEqual([]);
  });
});
