import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import { TOPICS, topicName, WorkFailed, WorkSucceeded, type Failure, type SourcePosition, type WorkItem } from '@workpipe/contracts';
import { classifyThrown, DownstreamTimeoutError } from '@workpipe/failure-classification';
import { output, RegistrySerde, type Output } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectRootLogger } from '@workpipe/runtime';
import { DownstreamGuard } from '../downstream/downstream-guard';
import { attemptDeadline } from '../attempt-deadline';
import { AttemptInterruptedError } from '../errors/attempt-interrupted-error';
import { RateLimiterUnavailableError } from '../errors/rate-limiter-unavailable-error';
import { HandlerRegistry } from '../handlers/handler-registry';
import type { HandlerResult, ResolvedHandler } from '../handlers/work-handler';
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

/**
 * Runs one attempt of one item and returns its one outcome event:
 * `WorkSucceeded`, or `WorkFailed` with a typed failure. The worker commits
 * it with the item's offset in one transaction, so an attempt that crashed
 * before its commit leaves nothing visible and is simply run again.
 *
 * Every attempt is bounded: a handler that has not returned after its work
 * type's timeout (PROCESSOR_ATTEMPT_TIMEOUT_MS by default) becomes a TIMEOUT
 * failure and the partition moves on. Redis is asked only what the
 * configuration needs (a shared rate limit when one is set).
 */
@Injectable()
export class WorkProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly succeededTopic: string;
  private readonly failedTopic: string;
  private readonly logger: Logger;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) private readonly serde: RegistrySerde,
    private readonly handlers: HandlerRegistry,
    private readonly guard: DownstreamGuard,
  ) {
    this.logger = logger.child({ component: 'work-processor' });
    this.succeededTopic = topicName(config.kafka.topicPrefix, TOPICS.succeeded);
    this.failedTopic = topicName(config.kafka.topicPrefix, TOPICS.failed);
  }

  async onModuleInit(): Promise<void> {
    // Register the outcome schemas at start-up: a registry problem stops the start, not an attempt mid-way.
    await this.serde.register(this.succeededTopic, WorkSucceeded);
    await this.serde.register(this.failedTopic, WorkFailed);
  }

  onApplicationShutdown(): void {
    this.guard.shutdown();
  }

  async process(item: WorkItem.Value, source: SourcePosition, signal: AbortSignal): Promise<Output[]> {
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
        result = await this.attempt(item, resolved, signal);
      } catch (error) {
        if (signal.aborted) throw new AttemptInterruptedError(`attempt of ${item.itemId} interrupted: ${String(signal.reason)}`);
        if (error instanceof RateLimiterUnavailableError) throw error;
        failure = toFailure(error);
        if (failure.type === 'RATE_LIMIT' && failure.retryAfterMs !== undefined) {
          await this.guard.pauseFor(resolved.downstream, failure.retryAfterMs).catch(() => undefined);
        }
      }
    }
    const durationMs = Date.now() - started;
    const now = new Date();
    if (failure) {
      attempts.inc({ type: item.type, outcome: 'failed', failure_type: failure.type });
      attemptDuration.observe({ type: item.type, outcome: 'failed' }, durationMs / 1000);
      this.logger.info(
        { ...ids(item), failureType: failure.type, code: failure.code, durationMs, retryAfterMs: failure.retryAfterMs },
        `attempt failed: ${failure.message}`,
      );
      return [output(this.failedTopic, WorkFailed, failedEvent(item, failure, source, durationMs, now))];
    }
    attempts.inc({ type: item.type, outcome: 'succeeded', failure_type: '' });
    attemptDuration.observe({ type: item.type, outcome: 'succeeded' }, durationMs / 1000);
    if (this.logger.isLevelEnabled('debug')) this.logger.debug({ ...ids(item), durationMs }, 'attempt succeeded');
    return [output(this.succeededTopic, WorkSucceeded, succeededEvent(item, result ?? {}, source, durationMs, now))];
  }

  /** The handler's call through the downstream's guard, bounded by the attempt timeout (rate-limit waits excluded). */
  private async attempt(item: WorkItem.Value, resolved: ResolvedHandler, signal: AbortSignal): Promise<Record<string, unknown>> {
    const timeoutMs = resolved.timeoutMs ?? this.config.processor.attemptTimeoutMs;
    const root = this.logger;
    let logger: Logger | undefined;
    const call = (attemptSignal: AbortSignal): Promise<HandlerResult> =>
      resolved.handler.handle(item, {
        signal: attemptSignal,
        // Built on first use: most handlers never log, and a child logger per attempt is not free.
        get logger(): Logger {
          logger ??= root.child(ids(item));
          return logger;
        },
        reportRateLimit: (hints) => void this.guard.reportRateLimit(resolved.downstream, hints).catch(() => undefined),
      });
    const outcome = await this.guard.run(
      resolved.downstream,
      () => (resolved.enforcesTimeout ? call(signal) : withDeadline(timeoutMs, signal, call)),
      signal,
    );
    return outcome.summary;
  }
}

/**
 * Runs `work` with a signal aborted after `timeoutMs` (or when `outer` aborts),
 * and settles by then even if the work ignores its signal: a TIMEOUT failure.
 */
async function withDeadline<T>(timeoutMs: number, outer: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  let expire: (error: Error) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => (expire = reject));
  const deadline = attemptDeadline(timeoutMs, outer, () => {
    const error = new DownstreamTimeoutError(`the attempt did not finish within ${timeoutMs} ms`, { code: 'ATTEMPT_TIMEOUT' });
    expire(error);
    return error;
  });
  try {
    return await Promise.race([work(deadline.signal), expired]);
  } finally {
    deadline.release();
  }
}

function ids(item: WorkItem.Value): Record<string, string | number | undefined> {
  return { itemId: item.itemId, batchId: item.batchId, attempt: item.attempt, correlationId: item.correlationId };
}

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
