import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName } from '@workpipe/contracts';
import { EventPublisher, RecordEncoder, RegistrySerde, TopicLimits } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import {
  InFlightResolver,
  ReplayKeys,
  ReplayLedger,
  ReplayOutcomeStore,
  ReplayRecordStore,
  ReplayRunner,
  SelectionResolver,
  TopicRangeReader,
} from '@workpipe/replay';
import { InjectConfig, InjectKafka, InjectKafkaAdmin, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { StatsReader } from '../reading/stats-reader.service';
import { replayEntry } from './history-entries';
import { ItemHistory } from './item-history';

/**
 * The replay machinery of the stats service, over its shared clients: the
 * stores (records, ledger, outcomes, item history), the range reader (a
 * partition worker per read), the selection resolver, the runner, and one
 * publisher for the replayed items and the `replays` topic.
 */
@Injectable()
export class ReplayRuntime implements OnModuleInit, OnApplicationShutdown {
  readonly keys: ReplayKeys;
  readonly records: ReplayRecordStore;
  readonly ledger: ReplayLedger;
  readonly outcomes: ReplayOutcomeStore;
  readonly history: ItemHistory;
  readonly publisher: EventPublisher;
  readonly reader: TopicRangeReader;
  readonly resolver: SelectionResolver;
  readonly runner: ReplayRunner;
  readonly topics: { work: string; abandoned: string; replays: string };
  /** Whether API keys are checked (else every request is anonymous). */
  readonly authenticationOn: boolean;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectKafkaAdmin() admin: Admin,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() rootLogger: Logger,
    serde: RegistrySerde,
    encoder: RecordEncoder,
    limits: TopicLimits,
    stats: StatsReader,
  ) {
    const logger = rootLogger.child({ component: 'replays' });
    const prefix = config.kafka.topicPrefix;
    this.topics = { work: topicName(prefix, TOPICS.work), abandoned: topicName(prefix, TOPICS.abandoned), replays: topicName(prefix, TOPICS.replays) };
    this.authenticationOn = config.apiKeys.length > 0;
    this.keys = new ReplayKeys(config.redis.keyPrefix);
    this.records = new ReplayRecordStore(redis, this.keys);
    this.ledger = new ReplayLedger(redis, this.keys);
    this.outcomes = new ReplayOutcomeStore(redis, this.keys);
    this.history = new ItemHistory(redis, config.redis.keyPrefix);
    this.publisher = new EventPublisher(kafka, serde, logger, { limits, timeoutMs: config.publishTimeoutMs, connectTimeoutMs: config.kafka.connectTimeoutMs });
    this.reader = new TopicRangeReader(
      { kafka, admin, serde, encoder, publisher: this.publisher, logger },
      { groupIdPrefix: `${prefix}replay-read-`, rejectedTopic: topicName(prefix, TOPICS.ingestRejected) },
    );
    this.resolver = new SelectionResolver(admin, this.topics.abandoned);
    this.runner = new ReplayRunner({
      redis,
      keys: this.keys,
      records: this.records,
      ledger: this.ledger,
      outcomes: this.outcomes,
      reader: this.reader,
      inFlight: new InFlightResolver(this.reader, admin, serde, this.topics.work),
      publisher: this.publisher,
      workTopic: this.topics.work,
      successes: { lastSuccessAt: (itemIds) => stats.successTimes(itemIds) },
      logger,
      onRepublished: (items) => this.history.add(items.map(replayEntry)),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.publisher.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}
