import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  PartitionWorker,
  type ChunkHandler,
  type ConsumerSpec,
  type EachHandler,
  type HandlerContext,
  type Output,
  type PartitionWorkerDependencies,
  type WorkerMessage,
} from '@workpipe/kafka';
import { WorkerContext } from './worker-context';
import type { WorkerRegistry } from './worker-registry';

/** Transport id of the partition-worker transport (`@EventPattern(name, PARTITION_WORKER_TRANSPORT)` if a service had several). */
export const PARTITION_WORKER_TRANSPORT = Symbol('PARTITION_WORKER_TRANSPORT');

type NestHandler = (data: unknown, context: WorkerContext) => Promise<unknown>;

/**
 * A NestJS custom transport over {@link PartitionWorker}: each `ConsumerSpec`
 * of the service becomes a worker whose handler is the `@EventPattern(spec.name)`
 * method of a controller, called through Nest's pipeline (`@Payload()` is the
 * `WorkerMessage`, or the chunk's messages; `@Ctx()` a {@link WorkerContext}).
 * The method returns the outputs to commit with the message.
 */
export class PartitionWorkerServer extends Server implements CustomTransportStrategy {
  override readonly transportId = PARTITION_WORKER_TRANSPORT;
  private readonly workers: PartitionWorker[] = [];

  constructor(
    private readonly specs: readonly ConsumerSpec[],
    private readonly deps: Omit<PartitionWorkerDependencies, 'onFatal'>,
    private readonly registry: WorkerRegistry,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const spec of this.specs) {
        const handler = this.getHandlerByPattern(spec.name) as NestHandler | null;
        if (!handler) throw new Error(`consumer ${spec.name} has no @EventPattern('${spec.name}') handler`);
        const worker = new PartitionWorker(spec, spec.mode === 'each' ? { each: eachVia(handler) } : { chunk: chunkVia(handler) }, {
          ...this.deps,
          onFatal: (error) => this.registry.fail(error),
        });
        this.workers.push(worker);
        this.registry.add(worker);
      }
      await Promise.all(this.workers.map((worker) => worker.start()));
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops every consumer (each drains and commits), then the publisher of their non-transactional outputs. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    this.workers.splice(0);
    this.registry.clear();
    await this.deps.publisher.disconnect();
  }

  on(): never {
    throw new Error('the partition-worker transport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.workers as T;
  }
}

function eachVia(handler: NestHandler): EachHandler {
  return async (message: WorkerMessage, context: HandlerContext) => outputsOf(await handler(message, new WorkerContext([context])));
}

function chunkVia(handler: NestHandler): ChunkHandler {
  return async (messages: readonly WorkerMessage[], context: HandlerContext) => outputsOf(await handler(messages, new WorkerContext([context])));
}

async function outputsOf(result: unknown): Promise<readonly Output[]> {
  const value = isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : await result;
  return (value as readonly Output[] | undefined) ?? [];
}
