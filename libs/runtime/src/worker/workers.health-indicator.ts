import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { isReady } from '@workpipe/kafka';
import { WorkerRegistry } from './worker-registry';

/** Ready when every consumer of the service is consuming and none is stuck. */
@Injectable()
export class WorkersHealthIndicator {
  constructor(
    private readonly registry: WorkerRegistry,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult {
    const indicator = this.indicators.check('consumers');
    const workers = this.registry.health();
    const details = Object.fromEntries(
      workers.map((health) => [health.name, { state: health.state, detail: health.detail, partitions: health.partitions.length, inFlight: health.inFlight, restarts: health.restarts }]),
    );
    const failed = this.registry.failures().length > 0;
    return !failed && workers.every(isReady) ? indicator.up(details) : indicator.down(details);
  }
}
