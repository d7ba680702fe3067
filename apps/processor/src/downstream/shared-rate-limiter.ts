import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RedisKeys } from '@workpipe/redis';

/**
 * A downstream's call budget shared by every processor instance through Redis,
 * plus a shared pause the downstream itself can impose (X-RateLimit-Remaining: 0
 * until X-RateLimit-Reset, or a 429's Retry-After). Callers wait their turn:
 * being held back here is not a failure and spends no attempt.
 */
/** How stale this instance's view of the shared pause may be, in milliseconds: one Redis read per downstream per this long. */
export const PAUSE_REFRESH_MS = 250;

export class SharedRateLimiter {
  private readonly limiter?: RateLimiterRedis;
  private readonly pauseKey: string;
  /** The shared pause as last read (or set here), and when it was read. */
  private pause = { untilMs: 0, readAtMs: Number.NEGATIVE_INFINITY };
  private pauseRead?: Promise<number>;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    readonly downstream: string,
    /** Calls per second across all instances; undefined = no budget, only downstream-imposed pauses. */
    perSecond: number | undefined,
  ) {
    const keys = new RedisKeys(keyPrefix);
    this.pauseKey = keys.key('ratelimit', 'pause', downstream);
    if (perSecond !== undefined) {
      // Sub-1/s rates become one call per N seconds.
      const duration = perSecond >= 1 ? 1 : Math.ceil(1 / perSecond);
      const points = perSecond >= 1 ? Math.max(1, Math.floor(perSecond)) : 1;
      this.limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: keys.key('ratelimit', 'budget'),
        points,
        duration,
      });
    }
  }

  /** Resolves when this caller may call the downstream. */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const pausedUntil = await this.pausedUntil();
      const now = Date.now();
      if (pausedUntil > now) {
        await sleep(pausedUntil - now + jitter(), signal);
        continue;
      }
      if (!this.limiter) return;
      try {
        await this.limiter.consume(this.downstream);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        await sleep(rejection.msBeforeNext + jitter(), signal);
      }
    }
  }

  /**
   * The shared pause, read from Redis at most once per {@link PAUSE_REFRESH_MS}
   * (one read shared by every caller waiting for it): an item costs no Redis
   * round trip for a downstream that is not paused and has no budget.
   */
  private pausedUntil(): Promise<number> {
    if (Date.now() - this.pause.readAtMs < PAUSE_REFRESH_MS) return Promise.resolve(this.pause.untilMs);
    this.pauseRead ??= this.redis
      .get(this.pauseKey)
      .then((value) => {
        this.pause = { untilMs: Number(value ?? 0), readAtMs: Date.now() };
        return this.pause.untilMs;
      })
      .finally(() => {
        this.pauseRead = undefined;
      });
    return this.pauseRead;
  }

  /** Pauses every instance's calls to this downstream until `untilMs` (epoch ms), unless already paused longer. */
  async pauseUntil(untilMs: number): Promise<void> {
    const ttl = Math.ceil(untilMs - Date.now());
    if (ttl <= 0) return;
    if (untilMs > this.pause.untilMs) this.pause = { untilMs, readAtMs: Date.now() };
    // Keep the later of the two pauses; a race between instances only ever shortens by one reset window.
    const current = Number((await this.redis.get(this.pauseKey)) ?? 0);
    if (current >= untilMs) return;
    await this.redis.set(this.pauseKey, String(Math.ceil(untilMs)), 'PX', ttl);
  }
}

/** Spreads waiters that woke at the same moment. */
function jitter(): number {
  return Math.floor(Math.random() * 25);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
