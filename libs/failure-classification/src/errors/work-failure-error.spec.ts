import { ApiError } from './api-error';
import { AuthenticationError } from './authentication-error';
import { CircuitOpenError } from './circuit-open-error';
import { DownstreamTimeoutError } from './downstream-timeout-error';
import { EmptyReportError } from './empty-report-error';
import { InvalidFailureTypeError } from './invalid-failure-type-error';
import { ProcessingError } from './processing-error';
import { RateLimitError } from './rate-limit-error';
import { ValidationError } from './validation-error';
import { isWorkFailureError, WorkFailureError } from './work-failure-error';

describe('failure errors', () => {
  it.each([
    [ApiError, 'ApiError', 'API_ERROR'],
    [DownstreamTimeoutError, 'DownstreamTimeoutError', 'TIMEOUT'],
    [EmptyReportError, 'EmptyReportError', 'EMPTY_REPORT'],
    [ProcessingError, 'ProcessingError', 'PROCESSING_ERROR'],
    [RateLimitError, 'RateLimitError', 'RATE_LIMIT'],
    [AuthenticationError, 'AuthenticationError', 'AUTHENTICATION'],
    [CircuitOpenError, 'CircuitOpenError', 'CIRCUIT_OPEN'],
  ] as const)('%p is named %s, has type %s and is retryable by default', (ErrorClass, name, type) => {
    const error = new ErrorClass('it failed');
    expect(error).toBeInstanceOf(WorkFailureError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name, type, retryable: true, message: 'it failed' });
    expect(error.stack).toContain(name);
  });

  it('lets a retryable type be marked not retryable for one failure', () => {
    expect(new ApiError('501 Not Implemented', { retryable: false }).retryable).toBe(false);
  });

  it('makes ValidationError never retryable', () => {
    const error = new ValidationError('portfolio id missing', { retryable: true } as never);
    expect(error).toMatchObject({ name: 'ValidationError', type: 'VALIDATION', retryable: false });
  });

  it('keeps code, cause and Retry-After', () => {
    const cause = new Error('socket closed');
    const error = new RateLimitError('slow down', { code: 'HTTP_429', retryAfterMs: 1_500.2, cause });
    expect(error).toMatchObject({ code: 'HTTP_429', retryAfterMs: 1_501 });
    expect(error.cause).toBe(cause);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('drops a nonsensical Retry-After (%f)', (retryAfterMs) => {
    expect(new RateLimitError('slow down', { retryAfterMs }).retryAfterMs).toBeUndefined();
  });

  it('lets a handler define its own type by subclassing', () => {
    class QuotaExhaustedError extends WorkFailureError {
      constructor(message: string) {
        super('QUOTA_EXHAUSTED', message, { retryable: false });
        this.name = 'QuotaExhaustedError';
      }
    }
    const error = new QuotaExhaustedError('monthly quota used up');
    expect(error).toMatchObject({ name: 'QuotaExhaustedError', type: 'QUOTA_EXHAUSTED', retryable: false });
    expect(isWorkFailureError(error)).toBe(true);
  });

  it('refuses a type that is not UPPER_SNAKE_CASE, at the throw site', () => {
    expect(() => new WorkFailureError('quota-exhausted', 'x')).toThrow(InvalidFailureTypeError);
    expect(new InvalidFailureTypeError('x')).toMatchObject({ name: 'InvalidFailureTypeError', retryable: false });
  });

  it('recognises errors from another copy of the library by their brand', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('workpipe.WorkFailureError')]: true });
    expect(isWorkFailureError(foreign)).toBe(true);
    expect(isWorkFailureError(new Error('x'))).toBe(false);
    expect(isWorkFailureError(null)).toBe(false);
    expect(isWorkFailureError('API_ERROR')).toBe(false);
  });
});
