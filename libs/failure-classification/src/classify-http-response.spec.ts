import { classifyHttpResponse, isJsonContentType } from './classify-http-response';
import type { HttpHeaders } from './http-headers';

const now = Date.parse('2025-09-02T12:00:00Z');
const json = { 'Content-Type': 'application/json; charset=utf-8' };

function classify(status: number, bodyText = '', headers: HttpHeaders = {}, extra = {}) {
  return classifyHttpResponse({ status, headers, bodyText }, { now, ...extra });
}
function failureOf(result: ReturnType<typeof classify>) {
  if (result.ok) throw new Error('expected a failure');
  return result.failure;
}

describe('classifyHttpResponse: 5xx', () => {
  it.each([500, 502, 503, 504, 599])('maps %i to a retryable API_ERROR', (status) => {
    expect(failureOf(classify(status, 'Internal Server Error'))).toEqual({
      type: 'API_ERROR',
      message: `HTTP ${status}: Internal Server Error`,
      code: `HTTP_${status}`,
      retryable: true,
    });
  });

  it('keeps a 503 Retry-After as the minimum wait', () => {
    expect(failureOf(classify(503, '', { 'Retry-After': '120' }))).toMatchObject({ type: 'API_ERROR', retryAfterMs: 120_000 });
  });

  it('says just the status when the body is empty', () => {
    expect(failureOf(classify(502)).message).toBe('HTTP 502');
  });

  it('cuts and redacts the body excerpt', () => {
    const message = failureOf(classify(500, `error for ?api_key=abc123 ${'x'.repeat(1_000)}`)).message;
    expect(message).not.toContain('abc123');
    expect(message.length).toBeLessThanOrEqual('HTTP 500: '.length + 200);
  });
});

describe('classifyHttpResponse: 429', () => {
  it('reads Retry-After in delta-seconds', () => {
    expect(failureOf(classify(429, '', { 'retry-after': '30' }))).toEqual({
      type: 'RATE_LIMIT',
      message: 'HTTP 429',
      code: 'HTTP_429',
      retryable: true,
      retryAfterMs: 30_000,
    });
  });

  it('reads Retry-After as an HTTP-date relative to now', () => {
    expect(failureOf(classify(429, '', { 'Retry-After': 'Tue, 02 Sep 2025 12:05:00 GMT' })).retryAfterMs).toBe(300_000);
  });

  it('falls back to X-RateLimit-Reset as delta seconds', () => {
    expect(failureOf(classify(429, '', { 'X-RateLimit-Reset': '45' })).retryAfterMs).toBe(45_000);
  });

  it('falls back to X-RateLimit-Reset as epoch seconds', () => {
    const reset = String(now / 1000 + 90);
    expect(failureOf(classify(429, '', { 'x-ratelimit-reset': reset })).retryAfterMs).toBe(90_000);
  });

  it('never gives a negative wait for a reset in the past', () => {
    const reset = String(now / 1000 - 90);
    expect(failureOf(classify(429, '', { 'x-ratelimit-reset': reset })).retryAfterMs).toBe(0);
  });

  it('prefers Retry-After over X-RateLimit-Reset', () => {
    expect(failureOf(classify(429, '', { 'Retry-After': '10', 'X-RateLimit-Reset': '600' })).retryAfterMs).toBe(10_000);
  });

  it('leaves retryAfterMs out when the downstream gives no hint', () => {
    const failure = failureOf(classify(429, '', { 'Retry-After': 'soon' }));
    expect(failure.type).toBe('RATE_LIMIT');
    expect(failure).not.toHaveProperty('retryAfterMs');
  });
});

describe('classifyHttpResponse: other 4xx', () => {
  it.each([401, 403])('maps %i to AUTHENTICATION', (status) => {
    expect(failureOf(classify(status, 'invalid token'))).toEqual({
      type: 'AUTHENTICATION',
      message: `HTTP ${status}: invalid token`,
      code: `HTTP_${status}`,
      retryable: true,
    });
  });

  it('maps 408 Request Timeout to a retryable TIMEOUT', () => {
    expect(failureOf(classify(408))).toMatchObject({ type: 'TIMEOUT', retryable: true, code: 'HTTP_408' });
  });

  it.each([400, 404, 409, 410, 422, 499])('maps %i to VALIDATION, not retryable', (status) => {
    expect(failureOf(classify(status, '{"error":"portfolio not found"}'))).toEqual({
      type: 'VALIDATION',
      message: `HTTP ${status}: {"error":"portfolio not found"}`,
      code: `HTTP_${status}`,
      retryable: false,
    });
  });
});

describe('classifyHttpResponse: 2xx', () => {
  it('returns a parsed JSON body', () => {
    expect(classify(200, '{"rows":[{"id":1}]}', json)).toEqual({ ok: true, body: { rows: [{ id: 1 }] } });
  });

  it('returns a non-JSON body as text', () => {
    const csv = 'id;value\n1;2,5\n';
    expect(classify(200, csv, { 'content-type': 'text/csv' })).toEqual({ ok: true, body: csv });
  });

  it.each([
    ['an empty body', ''],
    ['a blank body', '  \n '],
    ['[]', '[]'],
    ['{}', ' {} '],
    ['empty rows', '{"rows":[],"total":0}'],
    ['empty data', '{"data":[]}'],
    ['empty items', '{"items":[]}'],
  ])('maps %s to EMPTY_REPORT', (_label, body) => {
    expect(failureOf(classify(200, body, json))).toEqual({
      type: 'EMPTY_REPORT',
      message: 'HTTP 200 with an empty report',
      code: 'HTTP_200',
      retryable: true,
    });
  });

  it('maps 204 No Content to EMPTY_REPORT', () => {
    expect(failureOf(classify(204)).type).toBe('EMPTY_REPORT');
  });

  it('recognises an empty JSON report even without a JSON content type', () => {
    expect(failureOf(classify(200, '[]', { 'content-type': 'text/plain' })).type).toBe('EMPTY_REPORT');
  });

  it('maps unparseable JSON to PROCESSING_ERROR', () => {
    expect(failureOf(classify(200, '{"rows": [1, 2', json))).toMatchObject({
      type: 'PROCESSING_ERROR',
      code: 'INVALID_JSON',
      retryable: true,
      message: expect.stringMatching(/^HTTP 200 body is not valid JSON: /),
    });
  });

  it('expects JSON when told to, whatever the content type', () => {
    expect(failureOf(classify(200, 'id;value', {}, { expectJson: true })).type).toBe('PROCESSING_ERROR');
  });

  it('does not expect JSON when told not to', () => {
    expect(classify(200, '{"a": 1', json, { expectJson: false })).toEqual({ ok: true, body: '{"a": 1' });
  });

  it('uses a handler-supplied emptiness check', () => {
    const headerOnlyCsv = 'id;value\n';
    const isEmptyReport = ({ bodyText }: { bodyText: string }) => bodyText.trim().split('\n').length <= 1;
    expect(failureOf(classify(200, headerOnlyCsv, {}, { isEmptyReport })).type).toBe('EMPTY_REPORT');
    expect(classify(200, 'id;value\n1;2\n', {}, { isEmptyReport })).toEqual({ ok: true, body: 'id;value\n1;2\n' });
  });

  it('gives the emptiness check the parsed body and content type', () => {
    const isEmptyReport = jest.fn(() => false);
    classify(200, '{"n":0}', json, { isEmptyReport });
    expect(isEmptyReport).toHaveBeenCalledWith({
      bodyText: '{"n":0}',
      json: { n: 0 },
      contentType: 'application/json; charset=utf-8',
    });
  });
});

describe('classifyHttpResponse: anything else', () => {
  it.each([100, 301, 304, 0, 600])('maps %i to a retryable PROCESSING_ERROR', (status) => {
    expect(failureOf(classify(status))).toMatchObject({
      type: 'PROCESSING_ERROR',
      code: `HTTP_${status}`,
      retryable: true,
      message: `unexpected HTTP ${status}`,
    });
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/problem+json', true],
    ['text/json', true],
    ['text/csv', false],
    ['application/jsonl', false],
    [undefined, false],
  ])('%s -> %s', (contentType, expected) => {
    expect(isJsonContentType(contentType)).toBe(expected);
  });
});
