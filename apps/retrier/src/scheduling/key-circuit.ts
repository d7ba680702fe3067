import type Redis from 'ioredis';
import { RedisKeys } from '@workpipe/redis';

export interface KeyCircuitSettings {
  /** Consecutive failed attempts of one key that isolate it; 0 turns the circuit off. */
  failures: number;
  /** Window the failures must fall in, in milliseconds. */
  windowMs: number;
  /** How long the key stays isolated, in milliseconds. */
  cooldownMs: number;
}

/**
 * The seed's "problematic portfolios": a key (entity) whose attempts keep
 * failing is isolated for a cool-down, so its items stop burning downstream
 * calls. State lives in Redis, shared by every retrier instance; a success of
 * the key resets its count.
 */
export class KeyCircuit {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly settings: KeyCircuitSettings,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  get enabled(): boolean {
    return this.settings.failures > 0;
  }

  /** Epoch ms until which the key is isolated, or undefined. */
  async openUntil(key: string): Promise<number | undefined> {
    if (!this.enabled) return undefined;
    const until = await this.redis.get(this.openKey(key));
    return until ? Number(until) : undefined;
  }

  /** Counts a failed attempt; returns the isolation end if this failure opened the circuit. */
  async recordFailure(key: string, now: number): Promise<number | undefined> {
    if (!this.enabled) return undefined;
    const count = this.keys.key('retrier', 'key-failures', key);
    const [[, failures]] = (await this.redis
      .multi()
      .incr(count)
      .pexpire(count, this.settings.windowMs, 'NX')
      .exec()) as [[Error | null, number]];
    if (failures < this.settings.failures) return undefined;
    const until = now + this.settings.cooldownMs;
    await this.redis.multi().set(this.openKey(key), String(until), 'PX', this.settings.cooldownMs).del(count).exec();
    return until;
  }

  async recordSuccess(key: string): Promise<void> {
    if (!this.enabled) return;
    await this.redis.del(this.keys.key('retrier', 'key-failures', key));
  }

  private openKey(key: string): string {
    return this.keys.key('retrier', 'key-open', key);
  }
}
