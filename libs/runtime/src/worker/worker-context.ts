import { BaseRpcContext } from '@nestjs/microservices';
import type { HandlerContext } from '@workpipe/kafka';

/**
 * What `@Ctx()` gives a consumer handler: the worker's context (the abort
 * signal of the message's partition).
 */
export class WorkerContext extends BaseRpcContext<[HandlerContext]> {
  get signal(): AbortSignal {
    return this.args[0].signal;
  }
}
