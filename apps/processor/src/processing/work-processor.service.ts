import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Counter, Histogram } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, WorkFailed, WorkSucceeded, type Failure, type SourcePosition, type WorkItem } from '@workpipe/contracts';
import { classifyThrown } from '@workpipe/failure-classification';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { RedisKeys } from '@workpipe/redis';
import { InjectConfig, InjectKafka, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import type Redis from 'ioredis';
import { DownstreamGuard } from '../downstream/downstream-guard';
import { HandlerRegistry } from '../handlers/handler-registry';
import { failedEvent, succeededEvent } from './outcome-events';

const attempts = new Counter({
  name: 'workpipe_processor_attempts_total',
  help: 'Attempts processed, by work type, outcome and failure type',
  labelNames: ['type', 'outcome', 'failure_type'],
});
const attemptDuration = new Histogram({
  name: 'workpipe_processor_attempt_seconds',
  help: 'Handler run time per attempt, rate-limit waits included',
  labelNames: ['type', 'outcome'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/** Raised when shutdown cut an attempt short: no outcome is emitted and the offset stays uncommitted. */
export class AttemptInterruptedError extends Error {
  override readonly name = 'AttemptInterruptedError';
  readonly retryable = true;
}

/**
 * Runs one attempt of one item and publishes exactly one outcome for it:
 * `WorkSucceeded`, or `WorkFailed` with a typed failure. Resolves only once
 * the outcome is durably in Kafka, so the caller may then commit the offset.
 */
@Injectable()
export class WorkProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly publisher: EventPublisher;
  private readonly succeededTopic: string;
  private readonly failedTopic: string;
  private readonly logger: Logger;
  private readonly keys: RedisKeys;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectRedis() private readonly redis: Redis,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) private readonly serde: RegistrySerde,
    private readonly handlers: HandlerRegistry,
    private readonly guard: DownstreamGuard,
  ) {
    this.logger = logger.child({ component: 'work-processor' });
    this.publisher = new EventPublisher(kafka, serde, this.logger, { timeoutMs: config.publishTimeoutMs });
    this.succeededTopic = topicName(config.kafka.topicPrefix, TOPICS.succeeded);
    this.failedTopic = topicName(config.kafka.topicPrefix, TOPICS.failed);
    this.keys = new RedisKeys(config.redis.keyPrefix);
  }

  async onModuleInit(): Promise<void> {
    await this.publisher.connect();
    // Register the outcome schemas at start-up: a registry problem stops the start, not an attempt mid-way.
    await this.serde.register(this.succeededTopic, WorkSucceeded);
    await this.serde.register(this.failedTopic, WorkFailed);
  }

  async onApplicationShutdown(): Promise<void> {
    this.guard.shutdown();
    await this.publisher.disconnect();
  }

  async process(
    item: WorkItem.Value,
    source: SourcePosition,
    signal: AbortSignal,
  ): Promise<'succeeded' | 'failed' | 'already-done'> {
    const log = this.logger.child({
      itemId: item.itemId,
      batchId: item.batchId,
      attempt: item.attempt,
      correlationId: item.correlationId,
    });
    // A redelivery after a rebalance (outcome written, offset not committed) must not run the attempt again.
    const doneKey = this.doneKey(item);
    if (await this.redis.exists(doneKey)) {
      log.info({ ...source }, 'attempt already has its outcome event; redelivery skipped');
      return 'already-done';
    }
    const started = Date.now();
    const resolved = this.handlers.resolve(item.type);
    let result: Record<string, unknown> | undefined;
    let failure: Failure | undefined;

    if (!resolved) {
      failure = {
        type: 'VALIDATION',
        message: `no handler is registered for work type "${item.type}" (known: ${this.handlers.types().join(', ') || 'none'})`,
        code: 'UNKNOWN_WORK_TYPE',
        retryable: false,
      };
    } else {
      try {
        const outcome = await this.guard.run(
          resolved.downstream,
          () =>
            resolved.handler.handle(item, {
              signal,
              logger: log,
              reportRateLimit: (hints) => void this.guard.reportRateLimit(resolved.downstream, hints).catch(() => undefined),
            }),
          signal,
        );
        result = outcome.summary;
      } catch (error) {
        if (signal.aborted) throw new AttemptInterruptedError(`attempt of ${item.itemId} interrupted by shutdown`);
        failure = toFailure(error);
        if (failure.type === 'RATE_LIMIT' && failure.retryAfterMs !== undefined) {
          await this.guard.pauseFor(resolved.downstream, failure.retryAfterMs).catch(() => undefined);
        }
      }
    }

    const durationMs = Date.now() - started;
    const now = new Date();
    if (failure) {
      await this.publisher.publish(this.failedTopic, WorkFailed, [failedEvent(item, failure, source, durationMs, now)]);
      await this.markDone(doneKey, 'failed', log);
      attempts.inc({ type: item.type, outcome: 'failed', failure_type: failure.type });
      attemptDuration.observe({ type: item.type, outcome: 'failed' }, durationMs / 1000);
      log.info({ failureType: failure.type, code: failure.code, durationMs, retryAfterMs: failure.retryAfterMs }, `attempt failed: ${failure.message}`);
      return 'failed';
    }
    await this.publisher.publish(this.succeededTopic, WorkSucceeded, [
      succeededEvent(item, result ?? {}, source, durationMs, now),
    ]);
    await this.markDone(doneKey, 'succeeded', log);
    attempts.inc({ type: item.type, outcome: 'succeeded', failure_type: '' });
    attemptDuration.observe({ type: item.type, outcome: 'succeeded' }, durationMs / 1000);
    log.info({ durationMs }, 'attempt succeeded');
    return 'succeeded';
  }

  /** One key per attempt identity: item, replay, attempt number, deferral. */
  private doneKey(item: WorkItem.Value): string {
    return this.keys.key('processor', 'done', `${item.itemId}|${item.replay?.replayId ?? ''}|${item.attempt}|${item.deferrals ?? 0}`);
  }

  /** Best effort: if Redis is down the outcome stands, and a redelivery may emit it again (at-least-once). */
  private async markDone(key: string, outcome: string, log: Logger): Promise<void> {
    try {
      await this.redis.set(key, outcome, 'PX', DONE_TTL_MS);
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'could not record the attempt as done');
    }
  }
}

/** How long an attempt's outcome is remembered against redelivery: longer than any rebalance or restart. */
const DONE_TTL_MS = 7 * 24 * 3_600_000;

/** Keeps the event within its contract whatever a handler threw. */
function toFailure(error: unknown): Failure {
  const classified = classifyThrown(error);
  return {
    type: classified.type,
    message: classified.message.slice(0, 2000),
    code: classified.code?.slice(0, 200),
    retryable: classified.retryable,
    retryAfterMs: classified.retryAfterMs,
  };
}
