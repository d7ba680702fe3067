import { createLogger } from '@workpipe/logging';
import { createRedis, RedisKeys } from '@workpipe/redis';
import { TestEnv } from '../support/test-env';

const env = new TestEnv('redis');
const config = env.config('cli');

describe('Redis round trip', () => {
  const redis = createRedis(config.redis, createLogger({ service: 'test', level: 'silent' }), { name: 'test' });
  const keys = new RedisKeys(config.redis.keyPrefix);

  afterAll(async () => {
    await env.cleanup();
    await redis.quit();
  });

  it('writes, reads and expires a prefixed key', async () => {
    const key = keys.key('round-trip', 'a');
    expect(key.startsWith(env.redisPrefix)).toBe(true);
    expect(await redis.set(key, 'value', 'PX', 60_000, 'NX')).toBe('OK');
    expect(await redis.set(key, 'other', 'PX', 60_000, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('value');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('runs a MULTI atomically', async () => {
    const key = keys.key('round-trip', 'counter');
    const results = await redis.multi().incr(key).incrby(key, 41).get(key).exec();
    expect(results?.map(([, value]) => value)).toEqual([1, 42, '42']);
  });
});
