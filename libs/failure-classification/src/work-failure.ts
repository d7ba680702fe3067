import { type FailureType, FailureTypeSchema } from '@workpipe/contracts';
import { z } from 'zod';

/**
 * What went wrong with one attempt, in the terms the retry policy and the stats understand.
 * Built by `classifyHttpResponse` / `classifyThrown`; never holds secrets (see `describeThrown`,
 * `redactSecrets`).
 */
export interface WorkFailure {
  /** Built-in or handler-defined failure type, UPPER_SNAKE_CASE. */
  readonly type: FailureType;
  /** Human-readable cause, redacted and at most 500 characters. */
  readonly message: string;
  /** Machine-readable detail, e.g. `HTTP_503`, `ECONNREFUSED`, `INVALID_JSON`. */
  readonly code?: string;
  /** false: retrying cannot help; the item is abandoned whatever the retry table says. */
  readonly retryable: boolean;
  /** The downstream asked us to wait at least this long, in milliseconds. */
  readonly retryAfterMs?: number;
}

/** Parses a `WorkFailure` crossing a boundary (a Kafka header or payload). */
export const WorkFailureSchema = z.object({
  type: FailureTypeSchema,
  message: z.string(),
  code: z.string().optional(),
  retryable: z.boolean(),
  retryAfterMs: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<WorkFailure>; // keeps the schema and the interface from drifting apart
