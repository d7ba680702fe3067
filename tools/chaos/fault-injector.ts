import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@workpipe/logging';
import { killBroker, startBroker, stopBroker, type StackOptions } from '../stack';
import type { ChaosPipeline } from './chaos-pipeline';
import type { FaultStep } from './fault-plan';
import { flushRedisKeys } from './redis-key-flush';

/** What happened to one planned fault. */
export interface FaultRecord extends FaultStep {
  /** What was hit, e.g. `processor-2`, `broker 0`, `Redis keys chaos:ab12cd:*`. */
  target: string;
  /** When the fault was done (the kill, the stop, the flush), in milliseconds after the load started. */
  injectedAtMs: number;
  /** When the part was back (answering /health, or metadata for a broker), in milliseconds after the load started. */
  recoveredAtMs: number;
  /** e.g. `ready 3400 ms after start`, `812 keys deleted`. */
  detail: string;
}

export interface FaultInjectorOptions {
  pipeline: ChaosPipeline;
  /** The stack whose brokers broker faults act on (its state folder). */
  stack: StackOptions;
  /** Which broker (index in KAFKA_BROKERS) broker faults hit. */
  brokerIndex: number;
  redisUrl: string;
  redisPrefix: string;
  logger: Logger;
}

/**
 * Runs a fault plan against the running pipeline, one fault after the other: each is injected when
 * it is due (or as soon as the previous one has recovered), and the part is started again after its
 * down time. Whatever happens, no broker is left stopped.
 */
export class FaultInjector {
  readonly records: FaultRecord[] = [];

  constructor(private readonly options: FaultInjectorOptions) {}

  /** The restart still under way of each killed service, by name. */
  private readonly recoveries = new Map<string, Promise<void>>();

  /**
   * Injects each step when it is due. A killed service is started again in the background (a slow
   * start does not hold back the next fault, so the broker fault still falls within the load); a
   * step on a service still starting waits for it, and the run resolves once every part is back.
   *
   * @param startedAt epoch milliseconds the plan's times count from
   */
  async run(plan: readonly FaultStep[], startedAt: number): Promise<FaultRecord[]> {
    try {
      for (const step of plan) {
        const wait = startedAt + step.atMs - Date.now();
        if (wait > 0) await sleep(wait);
        await this.inject(step, startedAt);
      }
    } finally {
      await Promise.allSettled(this.recoveries.values());
    }
    await Promise.all(this.recoveries.values());
    this.records.sort((a, b) => a.number - b.number);
    return this.records;
  }

  private async inject(step: FaultStep, startedAt: number): Promise<void> {
    const { pipeline, logger } = this.options;
    const since = (): number => Date.now() - startedAt;
    const record = (target: string, injectedAtMs: number, detail: string): void => {
      const done: FaultRecord = { ...step, target, injectedAtMs, recoveredAtMs: since(), detail };
      logger.info({ fault: done }, 'fault survived');
      this.records.push(done);
    };
    logger.info({ step }, 'injecting fault');
    switch (step.kind) {
      case 'kill-processor':
      case 'kill-retrier':
      case 'kill-stats': {
        const name = step.kind === 'kill-processor' ? `processor-${step.instance + 1}` : step.kind.slice('kill-'.length);
        await this.recoveries.get(name);
        await pipeline.kill(name);
        const injectedAtMs = since();
        const recovery = (async (): Promise<void> => {
          await sleep(step.downMs);
          const readyMs = await pipeline.restart(name);
          record(name, injectedAtMs, `kill -9, down ${step.downMs} ms, ready ${readyMs} ms after its restart`);
        })();
        // Handled here so a failed restart is not an unhandled rejection before run() awaits it.
        recovery.catch(() => undefined);
        this.recoveries.set(name, recovery);
        return;
      }
      case 'restart-broker':
      case 'kill-broker': {
        const index = this.options.brokerIndex;
        const how = step.kind === 'kill-broker' ? 'SIGKILL' : 'controlled stop';
        try {
          const down = step.kind === 'kill-broker' ? await killBroker(index, this.options.stack) : await stopBroker(index, this.options.stack);
          if (down.action !== 'stopped' && down.action !== 'killed' && down.action !== 'killed-as-asked') {
            throw new Error(`broker ${index} was not brought down: ${down.action}${down.detail ? ` (${down.detail})` : ''}`);
          }
          const injectedAtMs = since();
          await sleep(step.downMs);
          const up = await startBroker(index, this.options.stack);
          if (!up.ready) throw new Error(`broker ${index} did not come back: ${up.state}${up.detail ? ` (${up.detail})` : ''}`);
          return record(`broker ${index}`, injectedAtMs, `${how} (${down.action}), down ${step.downMs} ms, then answering metadata again`);
        } catch (error) {
          await startBroker(index, this.options.stack).catch(() => undefined);
          throw error;
        }
      }
      case 'flush-redis': {
        const deleted = await flushRedisKeys(this.options.redisUrl, this.options.redisPrefix);
        return record(`Redis keys ${this.options.redisPrefix}*`, since(), `${deleted} keys deleted at once`);
      }
    }
  }
}
