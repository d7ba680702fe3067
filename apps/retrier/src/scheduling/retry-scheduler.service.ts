import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import {
  HEADERS,
  retryTopicName,
  TOPICS,
  topicName,
  WorkAbandoned,
  WorkFailed,
  WorkItem,
  WorkSucceeded,
  type AbandonReason,
} from '@workpipe/contracts';
import { EventPublisher, RegistrySerde, type OutgoingEvent } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { chooseDelayTier, decide, policyForType, resolveRetryPolicy, type RetryPolicy } from '@workpipe/retry-policy';
import { InjectConfig, InjectKafka, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { nextAttempt, withFailure } from './attempt-record';
import { KeyCircuit } from './key-circuit';

const decisions = new Counter({
  name: 'workpipe_retrier_decisions_total',
  help: 'Retry decisions, by failure type and outcome (retry, defer, abandon reason)',
  labelNames: ['failure_type', 'decision'],
});

/** One decision, ready to publish. */
type Outgoing =
  | { kind: 'retry'; topic: string; item: WorkItem.Value; dueAt: number }
  | { kind: 'abandon'; event: WorkAbandoned.Value };

/**
 * Consumes failed attempts and, by the retry policy of their failure type,
 * schedules the next attempt on a delay topic (due time in a header) or
 * abandons the item to the dead-letter topic with its whole history and the
 * reason. Also consumes successes, to reset the per-key circuit.
 */
@Injectable()
export class RetryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly publisher: EventPublisher;
  private readonly policy: RetryPolicy;
  private readonly keyCircuit: KeyCircuit;
  private readonly topics: { failed: string; succeeded: string; abandoned: string };
  private readonly logger: Logger;
  /** Injected for tests; jitter draws. */
  random: () => number = Math.random;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) private readonly serde: RegistrySerde,
  ) {
    this.logger = logger.child({ component: 'retry-scheduler' });
    this.policy = resolveRetryPolicy(config.retry.policyOverrides, { timeScale: config.retry.timeScale });
    this.keyCircuit = new KeyCircuit(redis, config.redis.keyPrefix, {
      failures: config.retry.keyCircuitFailures,
      windowMs: config.retry.keyCircuitWindowMs,
      cooldownMs: config.retry.keyCircuitCooldownMs,
    });
    const prefix = config.kafka.topicPrefix;
    this.topics = {
      failed: topicName(prefix, TOPICS.failed),
      succeeded: topicName(prefix, TOPICS.succeeded),
      abandoned: topicName(prefix, TOPICS.abandoned),
    };
    this.publisher = new EventPublisher(kafka, serde, this.logger, { timeoutMs: config.publishTimeoutMs });
    this.consumer = kafka.consumer({ groupId: `${prefix}retrier`, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.failed, this.topics.succeeded], fromBeginning: true });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      // Scheduling lag comes straight off short delays: work the partitions in parallel.
      partitionsConsumedConcurrently: this.config.kafka.partitions,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.logger.info({ timeScale: this.config.retry.timeScale, tiersMs: this.config.retry.delayTiersMs }, 'scheduling retries');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.consumer.disconnect();
    await this.publisher.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const outgoing: Outgoing[] = [];
    const handled: string[] = [];
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      if (message.value && batch.topic === this.topics.succeeded) {
        const succeeded = await this.serde.decode(message.value, WorkSucceeded);
        await this.keyCircuit.recordSuccess(succeeded.key);
      } else if (message.value) {
        // A malformed failure event is a bug upstream, not a poison to skip: nothing accepted may be lost.
        outgoing.push(await this.decideFor(await this.serde.decode(message.value, WorkFailed)));
      }
      handled.push(message.offset);
    }
    // One produce per destination topic for the whole batch; offsets move only once all are durable.
    await this.publish(outgoing);
    for (const offset of handled) resolveOffset(offset);
    await heartbeat();
    await commitOffsetsIfNecessary();
  }

  async decideFor(failed: WorkFailed.Value): Promise<Outgoing> {
    const { item, failure } = failed;
    const now = Date.now();
    const failedAt = Date.parse(failed.failedAt);
    const row = policyForType(this.policy, failure.type);

    const isolatedUntil = await this.keyCircuit.openUntil(item.key);
    if (isolatedUntil !== undefined && isolatedUntil > now) {
      if (this.config.retry.keyCircuitMode === 'park') {
        const parked = nextAttempt(failed, { nextAttempt: item.attempt, consumesAttempt: false });
        return this.retryAt(parked, isolatedUntil, now, failure.type, 'park');
      }
      return this.abandon(failed, 'CIRCUIT_OPEN', `key ${item.key} is isolated until ${new Date(isolatedUntil).toISOString()} after repeated failures`);
    }

    const decision = decide(failure, item.attempt, this.policy, this.random, { deferrals: item.deferrals ?? 0 });
    if (row.consumesAttempt && failure.type !== 'CIRCUIT_OPEN') {
      const opened = await this.keyCircuit.recordFailure(item.key, now);
      if (opened) this.logger.warn({ key: item.key, until: new Date(opened).toISOString() }, 'key isolated after repeated failures');
    }
    if (decision.action === 'abandon') {
      return this.abandon(failed, decision.reason, abandonDetail(decision.reason, failure.type, item.attempt, row.maxAttempts, item.deferrals));
    }
    // Due relative to the failure, so a lagging retrier does not stretch the policy's delay.
    return this.retryAt(nextAttempt(failed, decision), failedAt + decision.delayMs, now, failure.type, decision.consumesAttempt ? 'retry' : 'defer');
  }

  private retryAt(item: WorkItem.Value, dueAt: number, now: number, failureType: string, label: string): Outgoing {
    decisions.inc({ failure_type: failureType, decision: label });
    const tierMs = chooseDelayTier(Math.max(0, dueAt - now), this.config.retry.delayTiersMs);
    return { kind: 'retry', topic: retryTopicName(this.config.kafka.topicPrefix, tierMs), item, dueAt };
  }

  private abandon(failed: WorkFailed.Value, reason: AbandonReason, detail: string): Outgoing {
    decisions.inc({ failure_type: failed.failure.type, decision: reason });
    return {
      kind: 'abandon',
      event: {
        item: withFailure(failed),
        reason,
        detail,
        lastFailure: failed.failure,
        abandonedAt: new Date().toISOString(),
      },
    };
  }

  private async publish(outgoing: readonly Outgoing[]): Promise<void> {
    const retries = new Map<string, OutgoingEvent<typeof WorkItem.Schema>[]>();
    const abandonments: OutgoingEvent<typeof WorkAbandoned.Schema>[] = [];
    for (const decision of outgoing) {
      if (decision.kind === 'retry') {
        const { item, dueAt, topic } = decision;
        retries.set(topic, [...(retries.get(topic) ?? []), { key: item.key, value: item, headers: { ...itemHeaders(item), [HEADERS.dueAt]: dueAt } }]);
        this.logger.info(
          { itemId: item.itemId, batchId: item.batchId, attempt: item.attempt, correlationId: item.correlationId, topic, dueAt: new Date(dueAt).toISOString() },
          'retry scheduled',
        );
      } else {
        const { event } = decision;
        abandonments.push({ key: event.item.key, value: event, headers: { ...itemHeaders(event.item), [HEADERS.failureType]: event.lastFailure.type } });
        this.logger.warn(
          { itemId: event.item.itemId, batchId: event.item.batchId, attempt: event.item.attempt, correlationId: event.item.correlationId, reason: event.reason },
          `abandoned: ${event.detail}`,
        );
      }
    }
    await Promise.all([
      ...[...retries].map(([topic, events]) => this.publisher.publish(topic, WorkItem, events)),
      this.publisher.publish(this.topics.abandoned, WorkAbandoned, abandonments),
    ]);
  }
}

function itemHeaders(item: WorkItem.Value): Record<string, string | number | undefined> {
  return {
    [HEADERS.itemId]: item.itemId,
    [HEADERS.batchId]: item.batchId,
    [HEADERS.attempt]: item.attempt,
    [HEADERS.correlationId]: item.correlationId,
    [HEADERS.failureType]: item.history.at(-1)?.failure.type,
    [HEADERS.replayId]: item.replay?.replayId,
  };
}

function abandonDetail(reason: AbandonReason, type: string, attempt: number, maxAttempts: number, deferrals = 0): string {
  switch (reason) {
    case 'MAX_ATTEMPTS':
      return `${type} allows ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'}; attempt ${attempt} failed with it`;
    case 'NOT_RETRYABLE':
      return `${type} is not retryable`;
    case 'CIRCUIT_OPEN':
      return `deferred ${deferrals} times while the downstream's circuit breaker was open`;
  }
}
