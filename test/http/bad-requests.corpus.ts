import type { ServiceName } from '@workpipe/config';
import { KEYS } from './support/http-services';

/**
 * Bad requests, as data: each is sent to every service it names, and must get exactly `status`
 * (never a 5xx, never a hang) with a JSON body whose `message` says what is wrong. None may leave
 * anything in Kafka.
 */
export interface BadRequest {
  name: string;
  services: readonly ServiceName[];
  method: string;
  path: string;
  /** The API key sent as x-api-key: a role's key, or none. Default: the key with every role. */
  key?: keyof typeof KEYS | 'none';
  headers?: Record<string, string>;
  /** Sent as is; an object is sent as JSON with `content-type: application/json`. */
  body?: string | Buffer | object;
  /** Bytes written straight to the socket instead (what Node's client refuses to send); `{key}` is replaced by the key. */
  raw?: string;
  status: number;
  /** The `error` code of the answer, where it matters. */
  error?: string;
  /** Something the message must say. */
  says?: string;
}

const ALL: readonly ServiceName[] = ['ingestor', 'processor', 'retrier', 'stats'];
const INGESTOR: readonly ServiceName[] = ['ingestor'];
const STATS: readonly ServiceName[] = ['stats'];

const item = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  itemId: 'BAD-0001',
  key: 'BAD-0001',
  type: 'portfolio-report',
  payload: { portfolioId: 'BAD-0001' },
  ...overrides,
});
const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepPayload = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};
const json = { 'content-type': 'application/json' };

/** What every service answers alike: transport, headers, keys, unknown routes. */
const EVERY_SERVICE: BadRequest[] = [
  { name: 'unknown path', services: ALL, method: 'GET', path: '/nope', status: 404 },
  { name: 'unknown path with a JSON body', services: ALL, method: 'POST', path: '/v2/items', body: { a: 1 }, status: 404 },
  { name: 'unknown method on a route', services: ALL, method: 'DELETE', path: '/health', status: 404 },
  { name: 'not HTTP at all', services: ALL, method: 'RAW', path: '', raw: 'GARBAGE\r\n\r\n', status: 400, error: 'MALFORMED_REQUEST' },
  { name: 'an unknown HTTP version', services: ALL, method: 'RAW', path: '', raw: 'GET /health/live HTTP/7.1\r\nHost: x\r\n\r\n', status: 400, error: 'MALFORMED_REQUEST' },
  { name: 'a header name with a space', services: ALL, method: 'RAW', path: '', raw: 'GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', status: 400, error: 'MALFORMED_REQUEST' },
  {
    name: 'content-length and transfer-encoding together (request smuggling)',
    services: ALL,
    method: 'RAW',
    path: '',
    raw: 'POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: 400,
    error: 'MALFORMED_REQUEST',
  },
  { name: 'a content-length that is not a number', services: ALL, method: 'RAW', path: '', raw: 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', status: 400, error: 'MALFORMED_REQUEST' },
  { name: 'a 20 KB API-key header', services: ALL, method: 'GET', path: '/metrics', headers: { 'x-api-key': 'k'.repeat(20_000) }, status: 431, error: 'HEADERS_TOO_LARGE' },
  { name: 'a 20 KB query string', services: ALL, method: 'GET', path: `/health/live?q=${'q'.repeat(20_000)}`, status: 431, error: 'HEADERS_TOO_LARGE' },
  { name: 'an unsupported Expect header', services: ALL, method: 'GET', path: '/health/live', headers: { expect: 'teapot' }, status: 417, error: 'EXPECTATION_FAILED' },
  { name: '/metrics without a key', services: ALL, method: 'GET', path: '/metrics', key: 'none', status: 401, error: 'API_KEY_MISSING' },
  { name: '/metrics with a key of another role', services: ALL, method: 'GET', path: '/metrics', key: 'submit', status: 403, error: 'ROLE_MISSING' },
  { name: '/metrics with Basic credentials', services: ALL, method: 'GET', path: '/metrics', key: 'none', headers: { authorization: 'Basic dXNlcjpwYXNz' }, status: 401, error: 'API_KEY_MISSING' },
  { name: '/docs-json without a key', services: ALL, method: 'GET', path: '/docs-json', key: 'none', status: 401, error: 'API_KEY_MISSING' },
  { name: '/DOCS-JSON (another case) without a key', services: ALL, method: 'GET', path: '/DOCS-JSON', key: 'none', status: 401, error: 'API_KEY_MISSING' },
  { name: '/docs/ (the UI) with a wrong key', services: ALL, method: 'GET', path: '/docs/', key: 'none', headers: { 'x-api-key': 'wrong-key-0001' }, status: 401, error: 'API_KEY_INVALID' },
  { name: 'a body of the wrong type on a public route', services: ALL, method: 'GET', path: '/health/live', headers: { 'content-type': 'text/plain' }, body: 'hello', status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'a chunked body with a bad chunk size',
    services: ALL,
    method: 'RAW',
    path: '',
    raw: 'GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
    status: 400,
    error: 'MALFORMED_REQUEST',
  },
  {
    name: 'a body shorter than its content-length (the client stalls)',
    services: ALL,
    method: 'RAW',
    path: '',
    raw: 'GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    status: 408,
    error: 'REQUEST_TIMEOUT',
  },
];

const ITEMS: BadRequest[] = [
  { name: 'an item without a key', services: INGESTOR, method: 'POST', path: '/v1/items', key: 'none', body: item(), status: 401, error: 'API_KEY_MISSING' },
  { name: 'an item with a wrong bearer key', services: INGESTOR, method: 'POST', path: '/v1/items', key: 'none', headers: { authorization: 'Bearer nope-nope-nope' }, body: item(), status: 401, error: 'API_KEY_INVALID' },
  { name: 'an item with a read key', services: INGESTOR, method: 'POST', path: '/v1/items', key: 'read', body: item(), status: 403, error: 'ROLE_MISSING' },
  { name: 'an item with an operate key', services: INGESTOR, method: 'POST', path: '/v1/items', key: 'operate', body: item(), status: 403, error: 'ROLE_MISSING' },
  { name: 'an item without a body', services: INGESTOR, method: 'POST', path: '/v1/items', status: 400, error: 'BODY_REQUIRED' },
  { name: 'an item with an empty body', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: '', status: 400, error: 'BODY_REQUIRED' },
  { name: 'an item as text/plain', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(item()), status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'an item without a content-type', services: INGESTOR, method: 'POST', path: '/v1/items', body: Buffer.from(JSON.stringify(item())), status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'an item as a form', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'key=a&type=b', status: 415 },
  { name: 'an item in latin1', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { 'content-type': 'application/json; charset=latin1' }, body: JSON.stringify(item()), status: 415, error: 'UNSUPPORTED_CHARSET', says: 'latin1' },
  { name: 'an item in UTF-16', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { 'content-type': 'application/json; charset=utf-16le' }, body: Buffer.from(JSON.stringify(item()), 'utf16le'), status: 415, error: 'UNSUPPORTED_CHARSET' },
  { name: 'an item with a quoted odd charset', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { 'content-type': 'application/json; charset="koi8-r"' }, body: JSON.stringify(item()), status: 415, error: 'UNSUPPORTED_CHARSET' },
  { name: 'an item that is not UTF-8', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), status: 400, error: 'INVALID_UTF8' },
  { name: 'malformed JSON', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: '{"key": "a",, }', status: 400, error: 'MALFORMED_JSON' },
  { name: 'JSON with a trailing comma', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: '{"key":"a","type":"b",}', status: 400, error: 'MALFORMED_JSON' },
  { name: 'a JSON null', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: 'null', status: 400, error: 'INVALID_ITEM' },
  { name: 'a JSON array', services: INGESTOR, method: 'POST', path: '/v1/items', body: [item()], status: 400, error: 'INVALID_ITEM' },
  { name: 'a JSON string', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: '"item"', status: 400, error: 'INVALID_ITEM' },
  { name: 'a body nested 5,000 levels', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: `${JSON.stringify(item()).slice(0, -2)},"deep":${nested(5_000)}}}`, status: 400, error: 'BODY_TOO_DEEP', says: '64' },
  { name: 'a body nested 200,000 levels', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: nested(200_000), status: 400, error: 'BODY_TOO_DEEP' },
  { name: 'a payload nested 40 levels (under the body limit)', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ payload: deepPayload(40) }), status: 400, error: 'INVALID_ITEM', says: 'more than 32 levels' },
  { name: 'a top-level __proto__ key', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: `{"__proto__":{"polluted":true},${JSON.stringify(item()).slice(1)}`, status: 400, error: 'FORBIDDEN_KEY' },
  { name: 'a constructor key in the payload', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ payload: { constructor: { prototype: 1 } } }), status: 400, error: 'FORBIDDEN_KEY', says: 'payload' },
  { name: 'a prototype key deep in the payload', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ payload: { a: [{ b: { prototype: 1 } }] } }), status: 400, error: 'FORBIDDEN_KEY', says: 'payload.a.0.b' },
  { name: 'a key with a space', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ key: 'a b' }), status: 400, error: 'INVALID_ITEM', says: 'key' },
  { name: 'a key of 201 characters', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ key: 'k'.repeat(201) }), status: 400, error: 'INVALID_ITEM', says: 'key' },
  { name: 'an upper-case type', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ type: 'Report' }), status: 400, error: 'INVALID_ITEM', says: 'type' },
  { name: 'an unknown field', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ colour: 'red' }), status: 400, error: 'INVALID_ITEM', says: 'colour' },
  { name: 'a payload that is a string', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ payload: 'text' }), status: 400, error: 'INVALID_ITEM', says: 'payload' },
  { name: 'an itemId with CR LF', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ itemId: 'a\r\nX-Injected: 1' }), status: 400, error: 'INVALID_ITEM', says: 'itemId' },
  { name: 'an itemId with braces', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ itemId: '{x}' }), status: 400, error: 'INVALID_ITEM' },
  { name: 'a key that is a number', services: INGESTOR, method: 'POST', path: '/v1/items', body: item({ key: 42 }), status: 400, error: 'INVALID_ITEM', says: 'key' },
  { name: 'an item declared over 1 MiB', services: INGESTOR, method: 'POST', path: '/v1/items', headers: json, body: JSON.stringify(item({ payload: { blob: 'x'.repeat(1_100_000) } })), status: 413, error: 'BODY_TOO_LARGE', says: 'limit of 1048576 bytes' },
  { name: 'a gzip body that is not gzip', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { ...json, 'content-encoding': 'gzip' }, body: 'not gzip at all', status: 400 },
  { name: 'an unknown content-encoding', services: INGESTOR, method: 'POST', path: '/v1/items', headers: { ...json, 'content-encoding': 'compress' }, body: JSON.stringify(item()), status: 415, error: 'UNSUPPORTED_CONTENT_ENCODING' },
  { name: 'GET on the items route', services: INGESTOR, method: 'GET', path: '/v1/items', status: 404 },
];

const BATCHES: BadRequest[] = [
  { name: 'a batch without a key', services: INGESTOR, method: 'POST', path: '/v1/batches', key: 'none', body: { items: [item()] }, status: 401, error: 'API_KEY_MISSING' },
  { name: 'a batch with a read key', services: INGESTOR, method: 'POST', path: '/v1/batches', key: 'read', body: { items: [item()] }, status: 403, error: 'ROLE_MISSING' },
  { name: 'a batch that is an array', services: INGESTOR, method: 'POST', path: '/v1/batches', body: [item()], status: 400, error: 'INVALID_BODY', says: '(body)' },
  { name: 'a batch without items', services: INGESTOR, method: 'POST', path: '/v1/batches', body: {}, status: 400, error: 'INVALID_BODY', says: 'items' },
  { name: 'a batch with no item', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: [] }, status: 400, error: 'INVALID_BODY', says: 'items: a batch needs at least one item' },
  { name: 'a batch whose items are a string', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: 'x' }, status: 400, error: 'INVALID_BODY', says: 'items' },
  { name: 'a batch with an unknown field', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: [item()], priority: 1 }, status: 400, error: 'INVALID_BODY', says: 'priority' },
  { name: 'a batch with a top-level __proto__ key', services: INGESTOR, method: 'POST', path: '/v1/batches', headers: json, body: `{"__proto__":{"x":1},"items":[${JSON.stringify(item())}]}`, status: 400, error: 'FORBIDDEN_KEY', says: '__proto__' },
  { name: 'a batch with a constructor key in an item', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: [item({ payload: { constructor: 1 } })] }, status: 400, error: 'FORBIDDEN_KEY', says: 'items.0.payload' },
  { name: 'a batch id with a space', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { batchId: 'bad id', items: [item()] }, status: 400, error: 'INVALID_BODY', says: 'batchId' },
  { name: 'a batch of 1001 items', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: Array.from({ length: 1001 }, () => ({})) }, status: 413, error: 'BATCH_TOO_LARGE' },
  { name: 'a batch of invalid items only', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: [item({ key: 1 }), item({ type: 'X' })] }, status: 400 },
  { name: 'a batch whose item nests its payload too deep', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { items: [item({ payload: deepPayload(40) })] }, status: 400 },
  { name: 'a batch whose item names another batch', services: INGESTOR, method: 'POST', path: '/v1/batches', body: { batchId: 'b-1', items: [item({ batchId: 'b-2' })] }, status: 400 },
  { name: 'a batch nested 5,000 levels', services: INGESTOR, method: 'POST', path: '/v1/batches', headers: json, body: `{"items":${nested(5_000)}}`, status: 400, error: 'BODY_TOO_DEEP' },
  { name: 'a batch in latin1', services: INGESTOR, method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json; charset=latin1' }, body: JSON.stringify({ items: [item()] }), status: 415, error: 'UNSUPPORTED_CHARSET' },
  { name: 'a batch of malformed JSON', services: INGESTOR, method: 'POST', path: '/v1/batches', headers: json, body: '{"items": [ {"key": "a",, } ]', status: 400, error: 'MALFORMED_JSON' },
  { name: 'PUT on the batches route', services: INGESTOR, method: 'PUT', path: '/v1/batches', body: { items: [item()] }, status: 404 },
];

const READS: BadRequest[] = [
  { name: 'failures without a key', services: STATS, method: 'GET', path: '/v1/failures', key: 'none', status: 401, error: 'API_KEY_MISSING' },
  { name: 'failures with a submit key', services: STATS, method: 'GET', path: '/v1/failures', key: 'submit', status: 403, error: 'ROLE_MISSING' },
  { name: 'failures.csv with an operate key', services: STATS, method: 'GET', path: '/v1/failures.csv', key: 'operate', status: 403, error: 'ROLE_MISSING' },
  { name: 'stats without a key', services: STATS, method: 'GET', path: '/v1/stats', key: 'none', status: 401 },
  { name: 'an unknown failure type', services: STATS, method: 'GET', path: '/v1/failures?type=NOPE', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'the known types are API_ERROR' },
  { name: 'a failure type in lower case', services: STATS, method: 'GET', path: '/v1/failures?type=api_error', key: 'read', status: 400, error: 'INVALID_QUERY', says: '"type"' },
  { name: 'an unknown status', services: STATS, method: 'GET', path: '/v1/failures?status=lost', key: 'read', status: 400, error: 'INVALID_QUERY', says: '"retryable" or "abandoned"' },
  { name: 'limit=0', services: STATS, method: 'GET', path: '/v1/failures?limit=0', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'from 1 to 1000' },
  { name: 'limit=1001', services: STATS, method: 'GET', path: '/v1/failures?limit=1001', key: 'read', status: 400, says: 'from 1 to 1000' },
  { name: 'limit=abc', services: STATS, method: 'GET', path: '/v1/failures?limit=abc', key: 'read', status: 400, says: 'from 1 to 1000' },
  { name: 'limit=1.5', services: STATS, method: 'GET', path: '/v1/failures?limit=1.5', key: 'read', status: 400, says: 'whole number' },
  { name: 'limit given twice', services: STATS, method: 'GET', path: '/v1/failures?limit=1&limit=2', key: 'read', status: 400, says: 'once' },
  { name: 'a negative offset', services: STATS, method: 'GET', path: '/v1/failures?offset=-1', key: 'read', status: 400, says: 'offset must be a whole number from 0' },
  { name: 'a negative olderThanMinutes', services: STATS, method: 'GET', path: '/v1/failures?olderThanMinutes=-5', key: 'read', status: 400, says: '0 or more' },
  { name: 'olderThanMinutes=soon', services: STATS, method: 'GET', path: '/v1/failures?olderThanMinutes=soon', key: 'read', status: 400, says: 'olderThanMinutes must be a number' },
  { name: 'an unknown query parameter', services: STATS, method: 'GET', path: '/v1/failures?colour=red', key: 'read', status: 400, says: 'unknown query parameter "colour"' },
  { name: 'a batch id with a space in the query', services: STATS, method: 'GET', path: '/v1/failures?batchId=has%20space', key: 'read', status: 400, says: '"batchId"' },
  { name: 'an unknown abandon reason', services: STATS, method: 'GET', path: '/v1/failures?reason=GAVE_UP', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'reason must be one of MAX_ATTEMPTS, NOT_RETRYABLE, CIRCUIT_OPEN' },
  { name: 'an abandon reason in lower case', services: STATS, method: 'GET', path: '/v1/failures?reason=max_attempts', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'query parameter "reason"' },
  { name: 'an empty abandon reason', services: STATS, method: 'GET', path: '/v1/failures?reason=', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'MAX_ATTEMPTS, NOT_RETRYABLE, CIRCUIT_OPEN' },
  { name: 'an abandon reason given twice', services: STATS, method: 'GET', path: '/v1/failures?reason=MAX_ATTEMPTS&reason=CIRCUIT_OPEN', key: 'read', status: 400, says: '"reason" must be given once' },
  { name: 'an abandon reason with status=retryable', services: STATS, method: 'GET', path: '/v1/failures?reason=MAX_ATTEMPTS&status=retryable', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'a reason selects abandoned items' },
  { name: 'csv with an unknown abandon reason', services: STATS, method: 'GET', path: '/v1/failures.csv?reason=NOPE', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'reason must be one of' },
  { name: 'alerts without a key', services: STATS, method: 'GET', path: '/v1/alerts', key: 'none', status: 401, error: 'API_KEY_MISSING' },
  { name: 'alerts with a submit key', services: STATS, method: 'GET', path: '/v1/alerts', key: 'submit', status: 403, error: 'ROLE_MISSING' },
  { name: 'alerts with a query parameter', services: STATS, method: 'GET', path: '/v1/alerts?rule=STUCK_PENDING', key: 'read', status: 400, error: 'INVALID_QUERY', says: 'unknown query parameter "rule"' },
  { name: 'me without a key', services: STATS, method: 'GET', path: '/v1/me', key: 'none', status: 401, error: 'API_KEY_MISSING' },
  { name: 'me with a wrong key', services: STATS, method: 'GET', path: '/v1/me', key: 'none', headers: { 'x-api-key': 'wrong-key-0001' }, status: 401, error: 'API_KEY_INVALID' },
  { name: 'csv with an unknown failure type', services: STATS, method: 'GET', path: '/v1/failures.csv?type=NOPE', key: 'read', status: 400, error: 'INVALID_QUERY' },
  { name: 'csv with an unknown status', services: STATS, method: 'GET', path: '/v1/failures.csv?status=x', key: 'read', status: 400, error: 'INVALID_QUERY' },
  { name: 'a negative minutes', services: STATS, method: 'GET', path: '/v1/stats?minutes=-1', key: 'read', status: 400, says: 'minutes must be a whole number from 1 to 1440' },
  { name: 'minutes=0', services: STATS, method: 'GET', path: '/v1/stats?minutes=0', key: 'read', status: 400, says: 'from 1 to 1440' },
  { name: 'minutes=1441', services: STATS, method: 'GET', path: '/v1/stats?minutes=1441', key: 'read', status: 400, says: 'from 1 to 1440' },
  { name: 'minutes=0x10', services: STATS, method: 'GET', path: '/v1/stats?minutes=0x10', key: 'read', status: 400, says: 'from 1 to 1440' },
  { name: 'a batch id with a space in the path', services: STATS, method: 'GET', path: '/v1/batches/has%20space', key: 'read', status: 400, error: 'INVALID_PATH' },
  { name: 'a batch id with a percent-encoded CR LF', services: STATS, method: 'GET', path: '/v1/batches/a%0d%0ab', key: 'read', status: 400, error: 'INVALID_PATH' },
  { name: 'an unknown batch', services: STATS, method: 'GET', path: '/v1/batches/no-such-batch', key: 'read', status: 404, error: 'BATCH_NOT_FOUND' },
  { name: 'the stream of an unknown batch', services: STATS, method: 'GET', path: '/v1/batches/no-such-batch/events', key: 'read', status: 404, error: 'BATCH_NOT_FOUND' },
  { name: 'a stream with expected=0', services: STATS, method: 'GET', path: '/v1/batches/b/events?expected=0', key: 'read', status: 400, says: 'expected must be a whole number' },
  { name: 'a stream with expected=abc', services: STATS, method: 'GET', path: '/v1/batches/b/events?expected=abc', key: 'read', status: 400 },
  { name: 'a stream without a key', services: STATS, method: 'GET', path: '/v1/batches/b/events', key: 'none', status: 401 },
];

const CLEAR_OLD: BadRequest[] = [
  { name: 'clear-old with a read key', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'read', body: { olderThanHours: 1 }, status: 403, error: 'ROLE_MISSING' },
  { name: 'clear-old without a body', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', status: 400, error: 'BODY_REQUIRED' },
  { name: 'clear-old with an empty object', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', body: {}, status: 400, error: 'INVALID_BODY', says: 'olderThanHours' },
  { name: 'clear-old with negative hours', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', body: { olderThanHours: -1 }, status: 400, says: 'positive number of hours' },
  { name: 'clear-old with hours as text', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', body: { olderThanHours: 'x' }, status: 400, says: 'olderThanHours' },
  { name: 'clear-old with an unknown field', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', body: { olderThanHours: 1, all: true }, status: 400, says: 'all' },
  { name: 'clear-old with a 100 KB body', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', body: { olderThanHours: 1, pad: 'x'.repeat(100_000) }, status: 413, says: 'limit of 65536 bytes' },
  { name: 'clear-old in latin1', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: '{"olderThanHours":1}', status: 415 },
  { name: 'clear-old with a __proto__ key', services: STATS, method: 'POST', path: '/v1/failures/clear-old', key: 'operate', headers: json, body: '{"__proto__":{"olderThanHours":1}}', status: 400, error: 'FORBIDDEN_KEY' },
];

export const BAD_REQUESTS: readonly BadRequest[] = [...EVERY_SERVICE, ...ITEMS, ...BATCHES, ...READS, ...CLEAR_OLD];
