import type { WorkItem } from '@workpipe/contracts';
import type { Logger } from '@workpipe/logging';

/** What a handler gets besides the item. */
export interface HandlerContext {
  /** Aborted when the attempt's time is up, its partition is revoked or the processor stops; long calls should pass it on. */
  signal: AbortSignal;
  /** Child logger bound to itemId, batchId, attempt and correlationId. */
  logger: Logger;
  /** Tell the shared rate limiter what the downstream said of its limits (X-RateLimit-* headers). */
  reportRateLimit(hints: { remaining?: number; resetAtMs?: number }): void;
}

/** A successful attempt's result: a summary small enough for an event (never a whole report). */
export interface HandlerResult {
  summary: Record<string, unknown>;
}

/**
 * Runs one attempt of one work item. Success returns a summary; failure throws,
 * ideally a `WorkFailureError` (or a subclass) naming the failure type; anything
 * else thrown is classified (timeouts, connection errors, PROCESSING_ERROR).
 */
export interface WorkHandler {
  handle(item: WorkItem.Value, context: HandlerContext): Promise<HandlerResult>;
}

/** How the processor calls a type's handler. */
export interface ResolvedHandler {
  handler: WorkHandler;
  /** Downstream name for the shared rate limiter and the circuit breaker. */
  downstream: string;
  /** Longest one attempt may run, in milliseconds; default PROCESSOR_ATTEMPT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** The handler ends its own calls within `timeoutMs` and honours the signal (the built-in http handler): no extra deadline. */
  enforcesTimeout?: boolean;
}
