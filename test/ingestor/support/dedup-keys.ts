import type Redis from 'ioredis';
import { IdempotencyStore, RedisKeys } from '@workpipe/redis';
import { ingestDedupNamespace } from '../../../apps/ingestor/src/submission/submission.service';

/** The Redis key that remembers an item id submitted to the pipeline of `topicPrefix`. */
export function dedupKey(redisPrefix: string, topicPrefix: string, itemId: string): string {
  return new RedisKeys(redisPrefix).key(ingestDedupNamespace(topicPrefix), itemId);
}

/**
 * The ingestor's dedup store as another ingestor instance of the same pipeline
 * sees it: `reserve` leaves ids pending, as a submission does between reserving
 * and confirming (a publish in progress, or one whose outcome is unknown).
 */
export function dedupStore(redis: Redis, redisPrefix: string, topicPrefix: string, pendingTtlMs: number): IdempotencyStore {
  return new IdempotencyStore(redis, redisPrefix, { namespace: ingestDedupNamespace(topicPrefix), acceptedTtlMs: 60_000, pendingTtlMs });
}
