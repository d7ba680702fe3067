import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import { HEADERS, retryTopicName, TOPICS, topicName, WorkItem, type AbandonReason, type WorkFailed } from '@workpipe/contracts';
import { output, type Output } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { chooseDelayTier, decide, policyForType, resolveRetryPolicy, type RetryPolicy } from '@workpipe/retry-policy';
import { InjectConfig, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { nextAttempt } from './attempt-record';
import { deadLetter, itemHeaders } from './dead-letter';
import { retryDueAt } from './due-time';
import { KeyCircuit } from './key-circuit';

const decisions = new Counter({
  name: 'workpipe_retrier_decisions_total',
  help: 'Retry decisions, by failure type and outcome (retry, defer, abandon reason)',
  labelNames: ['failure_type', 'decision'],
});

/**
 * Decides, by the retry policy of its failure type, what becomes of a failed
 * attempt: the next attempt on a delay topic (due time in `x-due-at`), or the
 * item abandoned to the dead-letter topic with its whole history and the
 * reason. Returns the event; the worker commits it with the failure's offset
 * in one transaction. Also keeps the per-key circuit.
 */
@Injectable()
export class RetryScheduler {
  private readonly policy: RetryPolicy;
  readonly keyCircuit: KeyCircuit;
  private readonly abandonedTopic: string;
  private readonly logger: Logger;
  /** Injected for tests; jitter draws. */
  random: () => number = Math.random;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'retry-scheduler' });
    this.policy = resolveRetryPolicy(config.retry.policyOverrides, { timeScale: config.retry.timeScale });
    this.keyCircuit = new KeyCircuit(redis, config.redis.keyPrefix, {
      failures: config.retry.keyCircuitFailures,
      windowMs: config.retry.keyCircuitWindowMs,
      cooldownMs: config.retry.keyCircuitCooldownMs,
    });
    this.abandonedTopic = topicName(config.kafka.topicPrefix, TOPICS.abandoned);
  }

  async decideFor(failed: WorkFailed.Value): Promise<Output> {
    const { item, failure } = failed;
    const now = Date.now();
    const row = policyForType(this.policy, failure.type);
    const counts = row.consumesAttempt && failure.type !== 'CIRCUIT_OPEN';
    const circuit = await this.keyCircuit.onFailure(item.key, now, counts);
    if (circuit.openedNow) {
      this.logger.warn({ key: item.key, until: new Date(circuit.isolatedUntil as number).toISOString() }, 'key isolated after repeated failures');
    } else if (circuit.isolatedUntil !== undefined) {
      if (this.config.retry.keyCircuitMode === 'park') {
        const parked = nextAttempt(failed, { nextAttempt: item.attempt, consumesAttempt: false });
        return this.retryAt(parked, circuit.isolatedUntil, now, failure.type, 'park');
      }
      return this.abandon(failed, 'CIRCUIT_OPEN', `key ${item.key} is isolated until ${new Date(circuit.isolatedUntil).toISOString()} after repeated failures`);
    }
    const decision = decide(failure, item.attempt, this.policy, this.random, { deferrals: item.deferrals ?? 0 });
    if (decision.action === 'abandon') {
      return this.abandon(failed, decision.reason, abandonDetail(decision.reason, failure.type, item.attempt, row.maxAttempts, item.deferrals));
    }
    const dueAt = retryDueAt(Date.parse(failed.failedAt), now, decision.delayMs);
    return this.retryAt(nextAttempt(failed, decision), dueAt, now, failure.type, decision.consumesAttempt ? 'retry' : 'defer');
  }

  private retryAt(item: WorkItem.Value, dueAt: number, now: number, failureType: string, label: string): Output {
    decisions.inc({ failure_type: failureType, decision: label });
    const tierMs = chooseDelayTier(Math.max(0, dueAt - now), this.config.retry.delayTiersMs);
    const topic = retryTopicName(this.config.kafka.topicPrefix, tierMs);
    this.logger.info({ ...ids(item), topic, dueAt: new Date(dueAt).toISOString() }, 'retry scheduled');
    return output(topic, WorkItem, { key: item.key, value: item, headers: { ...itemHeaders(item), [HEADERS.dueAt]: dueAt } });
  }

  private abandon(failed: WorkFailed.Value, reason: AbandonReason, detail: string): Output {
    decisions.inc({ failure_type: failed.failure.type, decision: reason });
    this.logger.warn({ ...ids(failed.item), reason }, `abandoned: ${detail}`);
    return deadLetter(this.abandonedTopic, failed, reason, detail);
  }
}

function ids(item: WorkItem.Value): Record<string, string | number | undefined> {
  return { itemId: item.itemId, batchId: item.batchId, attempt: item.attempt, correlationId: item.correlationId };
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
