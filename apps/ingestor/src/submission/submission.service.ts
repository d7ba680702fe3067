import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, WorkItem, type SubmissionResult } from '@workpipe/contracts';
import {
  EventPublisher,
  PublishError,
  RecordTooLargeError,
  RegistrySerde,
  type EncodedRecord,
  type PayloadValidationError,
} from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { IdempotencyStore } from '@workpipe/redis';
import { InjectConfig, InjectKafka, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { validateSubmissions } from './submission-validator';
import { newWorkItemEvent } from './work-item-factory';

/**
 * Validates, de-duplicates and durably publishes submitted items. An item is
 * reported accepted only after Kafka acknowledged it on all in-sync replicas,
 * and a request's items are published in one transaction: when the request
 * fails, none of them reaches the pipeline (every consumer reads
 * `read_committed`), so "nothing was accepted" is true.
 */
@Injectable()
export class SubmissionService implements OnModuleInit, OnApplicationShutdown {
  private readonly publisher: EventPublisher;
  private readonly dedup: IdempotencyStore;
  private readonly workTopic: string;
  private readonly logger: Logger;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) serde: RegistrySerde,
  ) {
    this.logger = logger.child({ component: 'submission' });
    // One transaction per request: a request's items are all visible to the pipeline or none is.
    this.publisher = new EventPublisher(kafka, serde, this.logger, {
      timeoutMs: config.publishTimeoutMs,
      connectTimeoutMs: config.kafka.connectTimeoutMs,
      transactionalId: `${config.kafka.topicPrefix}ingestor.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`,
    });
    this.dedup = new IdempotencyStore(redis, config.redis.keyPrefix, {
      namespace: ingestDedupNamespace(config.kafka.topicPrefix),
      acceptedTtlMs: config.ingest.dedupTtlMs,
      // A reservation must outlive the longest publish, or a slow publish could be doubled by a retry.
      pendingTtlMs: config.publishTimeoutMs * 2 + 5_000,
    });
    this.workTopic = topicName(config.kafka.topicPrefix, TOPICS.work);
  }

  async onModuleInit(): Promise<void> {
    await this.publisher.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }

  /**
   * @param correlationId one id for the whole request, or one per raw item
   *   (items mapped from several source events keep each event's own id).
   */
  async submit(
    rawItems: readonly unknown[],
    batchId: string | undefined,
    correlationId: string | readonly string[],
  ): Promise<SubmissionResult> {
    const correlationOf = (index: number): string =>
      typeof correlationId === 'string' ? correlationId : (correlationId[index] as string);
    const { valid, rejected, duplicates } = validateSubmissions(rawItems, batchId);
    const now = new Date();
    // Encoded before anything is reserved or sent: an item Kafka would refuse is rejected alone, with the limit.
    const outcomes = await this.publisher.recordEncoder.encodeEach(
      this.workTopic,
      WorkItem,
      valid.map((item) => newWorkItemEvent(item, correlationOf(item.index), now)),
    );
    const encodable: { item: (typeof valid)[number]; record: EncodedRecord }[] = [];
    outcomes.forEach((outcome, position) => {
      const item = valid[position] as (typeof valid)[number];
      if (outcome.ok) encodable.push({ item, record: outcome.record });
      else rejected.push(rejectionOf(item.index, item.itemId, outcome.error));
    });
    rejected.sort((a, b) => a.index - b.index);
    const { reserved, taken } = await this.dedup.reserve(encodable.map(({ item }) => item.itemId));
    const reservedIds = new Set(reserved);
    for (const { item } of encodable) {
      const reason = taken.get(item.itemId);
      if (reason) duplicates.push({ index: item.index, itemId: item.itemId, reason });
    }
    const toPublish = encodable.filter(({ item }) => reservedIds.has(item.itemId));
    try {
      await this.publisher.send(toPublish.map(({ record }) => record));
    } catch (error) {
      // Nothing is visible: free the ids so the client can retry. When the commit's outcome is unknown they
      // stay reserved (IN_FLIGHT) until the reservation expires, so a quick retry cannot double them.
      if (!(error instanceof PublishError) || error.definitelyNotWritten) await this.dedup.release(reserved);
      throw error;
    }
    await this.dedup.confirm(reserved);
    this.logger.info(
      { batchId, correlationId: correlationOf(0), accepted: toPublish.length, rejected: rejected.length, duplicates: duplicates.length },
      'submission published',
    );
    duplicates.sort((a, b) => a.index - b.index);
    return {
      batchId,
      correlationId: correlationOf(0),
      accepted: toPublish.map(({ item }) => ({ index: item.index, itemId: item.itemId })),
      rejected,
      duplicates,
      counts: { accepted: toPublish.length, rejected: rejected.length, duplicates: duplicates.length },
    };
  }
}

/**
 * The Redis namespace of submitted item ids (under REDIS_KEY_PREFIX). It holds the topic prefix:
 * the dedup scope is one pipeline, so pipelines with different TOPIC_PREFIX sharing a Redis (and
 * its key prefix) each accept an item id once.
 */
export function ingestDedupNamespace(topicPrefix: string): string {
  return `ingest:dedup:${topicPrefix}`;
}

/** An item whose event cannot be produced: too large for the work topic, or not serialisable. */
function rejectionOf(index: number, itemId: string, error: RecordTooLargeError | PayloadValidationError): SubmissionResult['rejected'][number] {
  if (error instanceof RecordTooLargeError) {
    return {
      index,
      itemId,
      code: 'TOO_LARGE',
      reason: `item too large: its work item takes ${error.bytes} bytes, over the limit of ${error.limitBytes} bytes of ${error.topic} (max.message.bytes); make the payload smaller`,
    };
  }
  return { index, itemId, code: 'INVALID', reason: error.issues.join('; ') };
}
