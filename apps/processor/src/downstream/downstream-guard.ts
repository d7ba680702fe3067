import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import CircuitBreaker from 'opossum';
import { DownstreamSchema, type AppConfig, type DownstreamConfig } from '@workpipe/config';
import { CircuitOpenError, classifyThrown } from '@workpipe/failure-classification';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { RateLimiterUnavailableError } from '../errors/rate-limiter-unavailable-error';
import { SharedRateLimiter } from './shared-rate-limiter';

/** Failures that say the downstream is unwell; the others (bad input, empty report, 429) leave the breaker alone. */
const BREAKER_FAILURE_TYPES = new Set(['API_ERROR', 'TIMEOUT']);

interface DownstreamProtection {
  limiter: SharedRateLimiter;
  breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  settings: DownstreamConfig;
  openedAt?: number;
}

/**
 * Protects each downstream: a call first waits for the shared rate limiter
 * (cluster-wide, Redis), then goes through this instance's circuit breaker
 * (opossum). While the breaker is open, calls fail fast with CIRCUIT_OPEN,
 * which the retry policy defers without spending an attempt.
 */
@Injectable()
export class DownstreamGuard {
  private readonly protections = new Map<string, DownstreamProtection>();
  private readonly logger: Logger;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'downstream-guard' });
  }

  async run<T>(downstream: string, call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const protection = this.protectionFor(downstream);
    this.failFastIfOpen(downstream, protection);
    try {
      await protection.limiter.acquire(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      // Redis is down: the item has not been tried, so it must not spend an attempt; the worker tries it again.
      throw new RateLimiterUnavailableError(`the shared rate limiter of "${downstream}" cannot be reached: ${(error as Error).message}`, error);
    }
    try {
      return (await protection.breaker.fire(call)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') this.failFastIfOpen(downstream, protection, true);
      throw error;
    }
  }

  /** Applies the downstream's own rate-limit hints to every instance. */
  async reportRateLimit(downstream: string, hints: { remaining?: number; resetAtMs?: number }): Promise<void> {
    if (hints.remaining === 0 && hints.resetAtMs !== undefined) {
      await this.protectionFor(downstream).limiter.pauseUntil(hints.resetAtMs);
    }
  }

  /** A 429 asked everyone to wait. */
  async pauseFor(downstream: string, retryAfterMs: number): Promise<void> {
    await this.protectionFor(downstream).limiter.pauseUntil(Date.now() + retryAfterMs);
  }

  /** Breaker states, for /health details and metrics. */
  states(): Record<string, 'open' | 'half-open' | 'closed'> {
    return Object.fromEntries(
      [...this.protections].map(([name, p]) => [
        name,
        p.breaker.opened ? 'open' : p.breaker.halfOpen ? 'half-open' : 'closed',
      ]),
    );
  }

  shutdown(): void {
    for (const protection of this.protections.values()) protection.breaker.shutdown();
  }

  private failFastIfOpen(downstream: string, protection: DownstreamProtection, force = false): void {
    if (!force && !protection.breaker.opened) return;
    const elapsed = Date.now() - (protection.openedAt ?? Date.now());
    // The cool-down left, in the policy's unscaled time: the retrier applies TIME_SCALE to every
    // Retry-After floor, and this cool-down is already scaled.
    const remainingMs = Math.max(0, protection.settings.breakerResetTimeoutMs - elapsed);
    throw new CircuitOpenError(`circuit breaker for downstream "${downstream}" is open`, {
      code: 'CIRCUIT_OPEN',
      retryAfterMs: Math.round(remainingMs / this.config.retry.timeScale),
    });
  }

  private protectionFor(downstream: string): DownstreamProtection {
    let protection = this.protections.get(downstream);
    if (protection) return protection;
    const configured = this.config.processor.downstreams[downstream] ?? DownstreamSchema.parse({});
    // TIME_SCALE shrinks every wait of the pipeline, the breaker's cool-down included.
    const settings = {
      ...configured,
      breakerResetTimeoutMs: Math.max(100, Math.round(configured.breakerResetTimeoutMs * this.config.retry.timeScale)),
    };
    const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      timeout: false, // handlers time out themselves, as TIMEOUT failures
      errorThresholdPercentage: settings.breakerErrorThresholdPercent,
      volumeThreshold: settings.breakerVolumeThreshold,
      resetTimeout: settings.breakerResetTimeoutMs,
      rollingCountTimeout: settings.breakerWindowMs,
      // true = "not a breaker failure"
      errorFilter: (error: unknown) => !BREAKER_FAILURE_TYPES.has(classifyThrown(error).type),
    });
    const created: DownstreamProtection = {
      limiter: new SharedRateLimiter(this.redis, this.config.redis.keyPrefix, downstream, settings.rateLimitPerSecond),
      breaker,
      settings,
    };
    breaker.on('open', () => {
      created.openedAt = Date.now();
      this.logger.warn({ downstream, resetTimeoutMs: settings.breakerResetTimeoutMs }, 'circuit breaker opened');
    });
    breaker.on('halfOpen', () => this.logger.info({ downstream }, 'circuit breaker half-open: trying one call'));
    breaker.on('close', () => this.logger.info({ downstream }, 'circuit breaker closed'));
    this.protections.set(downstream, created);
    return created;
  }
}
