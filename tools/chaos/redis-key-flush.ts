import Redis from 'ioredis';
import { flushKeysUnder } from '../../test/support/redis-flush';

/**
 * Deletes every key under `prefix` at once (one script run), as an emptied Redis looks to the
 * run's services, and nothing else: the Redis is shared, so never FLUSHALL. Returns how many keys
 * were deleted.
 */
export async function flushRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
    return await flushKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
