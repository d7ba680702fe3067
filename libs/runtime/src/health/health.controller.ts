import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';
import { WorkersHealthIndicator } from '../worker/workers.health-indicator';
import { Public } from '../http/public.decorator';

const CHECK_TIMEOUT_MS = 3000;

/** Open without a key: orchestrators probe liveness and readiness without credentials. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly workers: WorkersHealthIndicator,
  ) {}

  /** Readiness: 200 when Kafka and Redis answer and every consumer is consuming (none stuck), 503 with details otherwise. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Kafka and Redis reachable, consumers running' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.kafka.check(CHECK_TIMEOUT_MS),
      () => this.redis.check(CHECK_TIMEOUT_MS),
      () => this.workers.check(),
    ]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness (same as /health)' })
  readiness(): Promise<HealthCheckResult> {
    return this.ready();
  }

  /** Liveness: the process is up and its event loop answers. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
