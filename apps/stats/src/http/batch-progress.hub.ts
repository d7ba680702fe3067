import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from '@workpipe/logging';
import { InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { StatsKeys } from '../redis/stats-keys';

type Listener = () => void;

/**
 * One Redis subscription per instance to the materializers' "batch changed"
 * notifications, fanned out to the live-progress streams of that batch.
 */
@Injectable()
export class BatchProgressHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly channel: string;
  private readonly logger: Logger;

  constructor(@InjectRedis() redis: Redis, @InjectRootLogger() logger: Logger, keys: StatsKeys) {
    this.logger = logger.child({ component: 'progress-hub' });
    this.channel = keys.updatesChannel();
    this.subscriber = redis.duplicate({ connectionName: 'workpipe-stats-progress' });
    this.subscriber.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'redis error'));
    this.subscriber.on('message', (_channel: string, batchId: string) => {
      for (const listener of this.listeners.get(batchId) ?? []) listener();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }

  /** Calls `listener` whenever the batch's numbers change; returns the unsubscribe. */
  listen(batchId: string, listener: Listener): () => void {
    let set = this.listeners.get(batchId);
    if (!set) {
      set = new Set();
      this.listeners.set(batchId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(batchId);
    };
  }
}
