import { Injectable } from '@nestjs/common';
import type { PartitionWorker, WorkerFailedError, WorkerHealth } from '@workpipe/kafka';

/**
 * The service's running consumers, for readiness and metrics, and what to do
 * when one cannot recover (the service's entry point exits non-zero; in
 * tests the failure is only recorded).
 */
@Injectable()
export class WorkerRegistry {
  private readonly workers: PartitionWorker[] = [];
  private readonly failed: WorkerFailedError[] = [];
  /** Set by the entry point; called once per consumer that gave up. */
  onFatal: (error: WorkerFailedError) => void = () => undefined;

  add(worker: PartitionWorker): void {
    this.workers.push(worker);
  }

  all(): readonly PartitionWorker[] {
    return this.workers;
  }

  /** Every consumer starts nothing new from now on (the first step of a graceful stop). */
  quiesce(): void {
    for (const worker of this.workers) worker.quiesce();
  }

  health(): WorkerHealth[] {
    return this.workers.map((worker) => worker.health());
  }

  fail(error: WorkerFailedError): void {
    this.failed.push(error);
    this.onFatal(error);
  }

  failures(): readonly WorkerFailedError[] {
    return this.failed;
  }

  clear(): void {
    this.workers.splice(0);
  }
}
