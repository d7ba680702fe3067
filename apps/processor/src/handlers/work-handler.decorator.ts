import { SetMetadata } from '@nestjs/common';

export const WORK_HANDLER_METADATA = 'workpipe:work-handler';

export interface WorkHandlerOptions {
  /** Work type this provider handles, e.g. `billing-message`. */
  type: string;
  /** Downstream it calls, for rate limiting and the circuit breaker; default the type. */
  downstream?: string;
  /** Longest one attempt may run before it is a TIMEOUT failure, in milliseconds; default PROCESSOR_ATTEMPT_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Marks a NestJS provider as the handler of a work type:
 * `@WorkHandlerFor({ type: 'billing-message', downstream: 'gateway' })`.
 * The class must implement `WorkHandler`.
 */
export const WorkHandlerFor = (options: WorkHandlerOptions): ClassDecorator =>
  SetMetadata(WORK_HANDLER_METADATA, options);
