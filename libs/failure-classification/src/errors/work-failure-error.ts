import { FAILURE_TYPE_PATTERN, type FailureType } from '@workpipe/contracts';
import { InvalidFailureTypeError } from './invalid-failure-type-error';

/** Options every failure error accepts. */
export interface WorkFailureErrorOptions {
  /** Machine-readable detail, e.g. `HTTP_503` or `ECONNRESET`. Default: none. */
  readonly code?: string;
  /** false: abandon the item without retrying. Default: true (ValidationError: always false). */
  readonly retryable?: boolean;
  /**
   * The downstream asked us to wait at least this long, in milliseconds. Default: none.
   * A value that is not a finite non-negative number is dropped.
   */
  readonly retryAfterMs?: number;
  /** The error that caused this one, kept for logs. Default: none. */
  readonly cause?: unknown;
}

// Symbol.for, so two copies of this library (e.g. a handler bundled with its own) still
// recognise each other's errors, which `instanceof` would not.
const WORK_FAILURE_ERROR = Symbol.for('workpipe.WorkFailureError');

/**
 * Thrown by a handler to say exactly how an attempt failed. `classifyThrown` keeps its type.
 * Subclass it for a failure type of your own:
 * `class QuotaExhaustedError extends WorkFailureError { constructor(m: string) { super('QUOTA_EXHAUSTED', m); } }`
 */
export class WorkFailureError extends Error {
  readonly [WORK_FAILURE_ERROR] = true;
  readonly type: FailureType;
  readonly code?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  /**
   * @throws InvalidFailureTypeError when `type` is not UPPER_SNAKE_CASE
   */
  constructor(type: FailureType, message: string, options: WorkFailureErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    if (!FAILURE_TYPE_PATTERN.test(type)) throw new InvalidFailureTypeError(type);
    this.name = 'WorkFailureError';
    this.type = type;
    if (options.code !== undefined) this.code = options.code;
    this.retryable = options.retryable ?? true;
    const { retryAfterMs } = options;
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
      this.retryAfterMs = Math.ceil(retryAfterMs);
    }
  }
}

/** True for a `WorkFailureError`, including one from another copy of this library. */
export function isWorkFailureError(value: unknown): value is WorkFailureError {
  return (
    value instanceof WorkFailureError ||
    (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WORK_FAILURE_ERROR] === true)
  );
}
