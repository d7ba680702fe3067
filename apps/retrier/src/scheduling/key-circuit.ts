import type Redis from 'ioredis';
import { RedisKeys } from '@workpipe/redis';
import { KEY_CIRCUIT_FAILURE_LUA } from './key-circuit.lua';

export interface KeyCircuitSettings {
  /** Consecutive failed attempts of one key that isolate it; 0 turns the circuit off. */
  failures: number;
  /** Window the failures must fall in, in milliseconds. */
  windowMs: number;
  /** How long the key stays isolated, in milliseconds. */
  cooldownMs: number;
}

/** What a failure found: the key isolated until then (epoch ms), and whether this failure isolated it. */
export interface KeyCircuitVerdict {
  isolatedUntil?: number;
  openedNow: boolean;
}

const COMMAND = 'workpipeKeyCircuitFailure';
type WithCommand = { [COMMAND](count: string, open: string, ...args: string[]): Promise<[number, number]> };

/**
 * The seed's "problematic portfolios": a key (entity) whose attempts keep
 * failing is isolated for a cool-down, so its items stop burning downstream
 * calls. State lives in Redis, shared by every retrier instance; a success of
 * the key resets its count. A failure costs one round trip (a script); the
 * successes of a chunk cost one DEL of their keys' counts together.
 */
export class KeyCircuit {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly settings: KeyCircuitSettings,
  ) {
    this.keys = new RedisKeys(keyPrefix);
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: KEY_CIRCUIT_FAILURE_LUA });
  }

  get enabled(): boolean {
    return this.settings.failures > 0;
  }

  /**
   * A failed attempt of `key`: whether the key is isolated (before this
   * failure, or because of it). `counts` is false for a failure that spends no
   * attempt (CIRCUIT_OPEN): it is checked against the circuit, never counted.
   */
  async onFailure(key: string, now: number, counts: boolean): Promise<KeyCircuitVerdict> {
    if (!this.enabled) return { openedNow: false };
    const [until, opened] = await (this.redis as unknown as WithCommand)[COMMAND](
      this.countKey(key),
      this.openKey(key),
      String(now),
      String(this.settings.windowMs),
      String(this.settings.failures),
      String(this.settings.cooldownMs),
      counts ? '1' : '0',
    );
    return until > 0 ? { isolatedUntil: until, openedNow: opened === 1 } : { openedNow: false };
  }

  /** Successes of these keys: their failure counts start again from zero. */
  async onSuccesses(keys: Iterable<string>): Promise<void> {
    if (!this.enabled) return;
    const counts = [...new Set(keys)].map((key) => this.countKey(key));
    if (counts.length > 0) await this.redis.unlink(...counts);
  }

  private countKey(key: string): string {
    return this.keys.key('retrier', 'key-failures', key);
  }

  private openKey(key: string): string {
    return this.keys.key('retrier', 'key-open', key);
  }
}
