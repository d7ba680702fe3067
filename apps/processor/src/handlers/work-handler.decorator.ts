import { SetMetadata } from '@nestjs/common';

export const WORK_HANDLER_METADATA = 'workpipe:work-handler';

export interface WorkHandlerOptions {
  /** Work type this provider handles, e.g. `billing-message`. */
  type: string;
  /** Downstream it calls, for rate limiting and the circuit breaker; default the type. */
  downstream?: string;
}

/**
 * Marks a NestJS provider as the handler of a work type:
 * `@WorkHandlerFor({ type: 'billing-message', downstream: 'gateway' })`.
 * The class must implement `WorkHandler`.
 */
export const WorkHandlerFor = (options: WorkHandlerOptions): ClassDecorator =>
  SetMetadata(WORK_HANDLER_METADATA, options);
