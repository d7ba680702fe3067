import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import { InjectKafkaAdmin } from '../tokens/inject.decorators';
import { withTimeout } from '../with-timeout';

/** Ready when the broker answers a metadata request. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    @InjectKafkaAdmin() private readonly admin: Admin,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('kafka');
    try {
      const cluster = await withTimeout(this.admin.describeCluster(), timeoutMs, 'Kafka');
      return indicator.up({ brokers: cluster.brokers.length, controller: cluster.controller });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
