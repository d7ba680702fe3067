import { classifyThrown } from './classify-thrown';
import { ApiError } from './errors/api-error';
import { DownstreamTimeoutError } from './errors/downstream-timeout-error';
import { RateLimitError } from './errors/rate-limit-error';
import { ValidationError } from './errors/validation-error';
import { WorkFailureError } from './errors/work-failure-error';

/** An error as Node's net/dns modules raise it: a message and a string `code`. */
const nodeError = (code: string, message = `connect ${code} 127.0.0.1:8080`) =>
  Object.assign(new Error(message), { code });

describe('classifyThrown: WorkFailureError keeps its type', () => {
  it('keeps type, code, retryable and Retry-After', () => {
    expect(classifyThrown(new RateLimitError('slow down', { code: 'QUOTA', retryAfterMs: 2_000 }))).toEqual({
      type: 'RATE_LIMIT',
      message: 'slow down',
      code: 'QUOTA',
      retryable: true,
      retryAfterMs: 2_000,
    });
  });

  it('keeps a ValidationError unrecoverable', () => {
    expect(classifyThrown(new ValidationError('bad portfolio id'))).toEqual({
      type: 'VALIDATION',
      message: 'bad portfolio id',
      retryable: false,
    });
  });

  it('keeps a handler-defined type', () => {
    expect(classifyThrown(new WorkFailureError('QUOTA_EXHAUSTED', 'monthly quota used'))).toMatchObject({
      type: 'QUOTA_EXHAUSTED',
      retryable: true,
    });
  });

  it('keeps its type even when caused by a connection error', () => {
    const error = new DownstreamTimeoutError('report took too long', { cause: nodeError('ECONNRESET') });
    expect(classifyThrown(error)).toMatchObject({
      type: 'TIMEOUT',
      message: 'report took too long: connect ECONNRESET 127.0.0.1:8080',
    });
  });

  it('redacts its message too', () => {
    expect(classifyThrown(new ApiError('GET https://u:p@api.example.com/r?token=abc failed')).message).toBe(
      'GET https://api.example.com/r?token=[REDACTED] failed',
    );
  });
});

describe('classifyThrown: timeouts', () => {
  it('maps an AbortError (fetch aborted by our deadline) to TIMEOUT', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(classifyThrown(abort)).toEqual({
      type: 'TIMEOUT',
      message: 'This operation was aborted',
      code: 'AbortError',
      retryable: true,
    });
  });

  it('maps the TimeoutError of AbortSignal.timeout to TIMEOUT', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyThrown(timeout)).toMatchObject({ type: 'TIMEOUT', code: 'TimeoutError' });
  });

  it.each(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])(
    'maps code %s to TIMEOUT',
    (code) => {
      expect(classifyThrown(nodeError(code))).toMatchObject({ type: 'TIMEOUT', code, retryable: true });
    },
  );

  it('looks through fetch\'s "fetch failed" wrapper (undici connect timeout)', () => {
    const cause = Object.assign(new Error('Connect Timeout Error'), {
      name: 'ConnectTimeoutError',
      code: 'UND_ERR_CONNECT_TIMEOUT',
    });
    expect(classifyThrown(new TypeError('fetch failed', { cause }))).toEqual({
      type: 'TIMEOUT',
      message: 'fetch failed: Connect Timeout Error',
      code: 'UND_ERR_CONNECT_TIMEOUT',
      retryable: true,
    });
  });
});

describe('classifyThrown: connection failures', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH'])(
    'maps code %s to a retryable API_ERROR',
    (code) => {
      expect(classifyThrown(nodeError(code))).toEqual({
        type: 'API_ERROR',
        message: `connect ${code} 127.0.0.1:8080`,
        code,
        retryable: true,
      });
    },
  );

  it('maps "socket hang up" to API_ERROR', () => {
    expect(classifyThrown(new Error('socket hang up'))).toEqual({
      type: 'API_ERROR',
      message: 'socket hang up',
      code: 'ECONNRESET',
      retryable: true,
    });
  });

  it('looks through fetch\'s "fetch failed" wrapper', () => {
    expect(classifyThrown(new TypeError('fetch failed', { cause: nodeError('ECONNREFUSED') }))).toEqual({
      type: 'API_ERROR',
      message: 'fetch failed: connect ECONNREFUSED 127.0.0.1:8080',
      code: 'ECONNREFUSED',
      retryable: true,
    });
  });

  it('looks into an AggregateError (connecting to several addresses)', () => {
    const aggregate = new AggregateError([nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:8080')], '');
    expect(classifyThrown(new TypeError('fetch failed', { cause: aggregate }))).toMatchObject({
      type: 'API_ERROR',
      code: 'ECONNREFUSED',
    });
  });
});

describe('classifyThrown: anything else', () => {
  it('maps a plain Error to a retryable PROCESSING_ERROR', () => {
    expect(classifyThrown(new Error('Cannot read properties of undefined'))).toEqual({
      type: 'PROCESSING_ERROR',
      message: 'Cannot read properties of undefined',
      retryable: true,
    });
  });

  it('keeps an unrelated string code', () => {
    expect(classifyThrown(nodeError('ENOSPC', 'no space left on device'))).toEqual({
      type: 'PROCESSING_ERROR',
      message: 'no space left on device',
      code: 'ENOSPC',
      retryable: true,
    });
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['a number', 42, '42'],
    ['an object', { reason: 'x' }, '{"reason":"x"}'],
    ['an object with a message', { message: 'custom' }, 'custom'],
    ['undefined', undefined, 'unknown error'],
    ['null', null, 'unknown error'],
  ])('maps %s to PROCESSING_ERROR', (_label, value, message) => {
    expect(classifyThrown(value)).toEqual({ type: 'PROCESSING_ERROR', message, retryable: true });
  });

  it('survives a cause cycle', () => {
    const error = new Error('outer');
    (error as { cause?: unknown }).cause = error;
    expect(classifyThrown(error)).toEqual({ type: 'PROCESSING_ERROR', message: 'outer', retryable: true });
  });

  it('never leaks credentials from the message', () => {
    const error = new Error(
      'request to https://admin:hunter2@api.example.com/report?portfolio=1&access_token=s3cr3t&client_secret=xyz failed',
    );
    const { message } = classifyThrown(error);
    expect(message).not.toMatch(/hunter2|s3cr3t|xyz|admin/);
    expect(message).toBe(
      'request to https://api.example.com/report?portfolio=[REDACTED]&access_token=[REDACTED]&client_secret=[REDACTED] failed',
    );
  });

  it('cuts very long messages', () => {
    expect(classifyThrown(new Error('x'.repeat(5_000))).message).toHaveLength(500);
  });
});

describe('classifyThrown: messages that could carry a header value or a URL', () => {
  const SECRET = 'PLANTEDs3cr3t';

  it('never copies the header value fetch quotes; still a PROCESSING_ERROR', () => {
    const error = new TypeError(`Headers.append: "Bearer ${SECRET}\r\nX-Injected: 1" is an invalid header value.`);
    expect(classifyThrown(error)).toEqual({
      type: 'PROCESSING_ERROR',
      message: 'a request header has an invalid name or value (not shown)',
      retryable: true,
    });
  });

  it('never copies a URL fetch refused', () => {
    const error = new TypeError(`Request cannot be constructed from a URL that includes credentials: https://u:${SECRET}@h/`);
    expect(classifyThrown(error).message).not.toContain(SECRET);
  });

  it('redacts every query value of a URL in a timeout message', () => {
    const error = new DownstreamTimeoutError(`no answer from https://h.example.com/r?sig=${SECRET}`);
    expect(classifyThrown(error)).toMatchObject({ type: 'TIMEOUT', message: 'no answer from https://h.example.com/r?sig=[REDACTED]' });
  });

  it('drops a code that is no machine-readable word', () => {
    expect(classifyThrown(nodeError(`Bearer ${SECRET}`, 'boom'))).toEqual({ type: 'PROCESSING_ERROR', message: 'boom', retryable: true });
    expect(classifyThrown(new ApiError('down', { code: `x y ${SECRET}` }))).not.toHaveProperty('code');
  });
});
