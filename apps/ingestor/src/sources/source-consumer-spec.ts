import type { Admin } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName } from '@workpipe/contracts';
import type { ConsumerSpec } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';

/** Consumer group of the source topics, after the topic prefix. */
export const SOURCE_CONSUMER_GROUP = 'ingestor.sources';
export const SOURCES_CONSUMER = 'ingestor.sources';

/**
 * The other systems' event topics of `INGEST_SOURCES` that exist, read raw
 * (each source says its own format) in chunks of up to 500 messages: the
 * mapped items of a chunk are submitted together, then its rejections are
 * published and its offsets committed. A source topic that does not exist is
 * reported and skipped (it is not ours to create); it is consumed after a
 * restart once it exists.
 */
export async function sourceConsumerSpecs(config: AppConfig, admin: Admin, logger: Logger): Promise<ConsumerSpec[]> {
  const sources = config.ingest.sources;
  if (sources.length === 0) return [];
  const repeated = sources.map((s) => s.topic).filter((topic, i, all) => all.indexOf(topic) !== i);
  if (repeated.length > 0) throw new Error(`INGEST_SOURCES: topic ${[...new Set(repeated)].join(', ')} is listed more than once`);
  const existing = new Set(await admin.listTopics());
  const present = sources.filter((source) => existing.has(source.topic)).map((source) => source.topic);
  for (const source of sources.filter((candidate) => !existing.has(candidate.topic))) {
    logger.warn(
      { topic: source.topic },
      'INGEST_SOURCES: source topic does not exist; not consuming it (it is not ours to create). Restart the ingestor once it exists.',
    );
  }
  if (present.length === 0) return [];
  return [
    {
      name: SOURCES_CONSUMER,
      groupId: `${config.kafka.topicPrefix}${SOURCE_CONSUMER_GROUP}`,
      topics: present.map((topic) => ({ topic })),
      mode: 'chunk',
      commit: 'offsets',
      chunkSize: 500,
      concurrency: 4,
      sessionTimeoutMs: config.consumers.sessionTimeoutMs,
    windowSize: config.consumers.window,
      commitIntervalMs: config.consumers.commitIntervalMs,
      maxWaitTimeMs: 500,
      minBytes: 64 * 1024,
      rejectedTopic: topicName(config.kafka.topicPrefix, TOPICS.ingestRejected),
    },
  ];
}
