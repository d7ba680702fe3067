import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { Logger } from '@workpipe/logging';
import { InjectKafkaAdmin, InjectRedis, InjectRootLogger } from './tokens/inject.decorators';

/**
 * Closes the shared clients last, after the services' own shutdown hooks have
 * stopped consuming and flushed their producers.
 */
@Injectable()
export class ClientLifecycleService implements OnApplicationShutdown {
  constructor(
    @InjectKafkaAdmin() private readonly admin: Admin,
    @InjectRedis() private readonly redis: Redis,
    @InjectRootLogger() private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    await Promise.allSettled([this.admin.disconnect(), this.redis.quit()]);
    this.logger.info({ signal }, 'clients closed');
  }
}
