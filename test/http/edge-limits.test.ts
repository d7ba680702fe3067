import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { KEYS, startService, type RunningService } from './support/http-services';
import { send, sendBytes } from './support/raw-http';

const SIXTEEN_MB = 16 * 1024 * 1024;

interface PartialUpload {
  status?: number;
  body: string;
  /** Body bytes handed to the socket when the answer arrived. */
  sentWhenAnswered?: number;
  ended: Promise<void>;
  stop(): void;
}

/** Declares a body of `declared` bytes, sends it in 64 KiB chunks as the socket drains, and notes how much was sent when the answer came. */
function upload(baseUrl: string, path: string, headers: Record<string, string>, declared: number): PartialUpload {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  let answered = false;
  const result: PartialUpload = { body: '', ended: Promise.resolve(), stop: () => undefined };
  const req = request(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers } });
  result.stop = () => req.destroy();
  result.ended = new Promise((resolve) => {
    req.on('response', (res) => {
      answered = true;
      result.status = res.statusCode;
      result.sentWhenAnswered = sent;
      res.setEncoding('utf8');
      res.on('data', (text: string) => (result.body += text));
      res.on('end', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
  });
  const pump = (): void => {
    while (!answered && sent < declared) {
      const piece = chunk.subarray(0, Math.min(chunk.length, declared - sent));
      sent += piece.length;
      if (!req.write(piece)) {
        req.once('drain', pump);
        return;
      }
    }
  };
  req.flushHeaders();
  setImmediate(pump);
  return result;
}

describe('the HTTP edge refuses cheaply and bounds slow clients', () => {
  const env = new TestEnv('http-edge');
  let ingestor: RunningService;

  beforeAll(async () => {
    ingestor = await startService(env, INGESTOR, { HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000' });
  });

  afterAll(async () => {
    await ingestor?.app.close();
    await env.cleanup();
  });

  it.each([
    ['without a key', {}, 401, 'API_KEY_MISSING'],
    ['with a wrong key', { 'x-api-key': 'not-a-key-0001' }, 401, 'API_KEY_INVALID'],
    ['with a key of another role', { 'x-api-key': KEYS.read }, 403, 'ROLE_MISSING'],
  ])('answers a 16 MB body %s before the body is sent: it is never read, let alone parsed', async (_case, headers, status, error) => {
    const upload16 = upload(ingestor.baseUrl, '/v1/batches', headers, SIXTEEN_MB);
    await waitFor(() => upload16.status !== undefined, { timeoutMs: 10_000, description: 'the answer' });
    upload16.stop();
    expect(upload16.status).toBe(status);
    // The answer came while most of the body was still on the client's side.
    expect(upload16.sentWhenAnswered).toBeLessThan(SIXTEEN_MB / 2);
    await upload16.ended;
    expect(JSON.parse(upload16.body)).toMatchObject({ statusCode: status, error });
  });

  it('answers 413 to a declared length over the route limit before the body is sent, even with the right key', async () => {
    const over = upload(ingestor.baseUrl, '/v1/items', { 'x-api-key': KEYS.submit }, SIXTEEN_MB);
    await waitFor(() => over.status !== undefined, { timeoutMs: 10_000, description: 'the answer' });
    over.stop();
    await over.ended;
    expect(over.status).toBe(413);
    expect(over.sentWhenAnswered).toBeLessThan(SIXTEEN_MB / 2);
    expect(JSON.parse(over.body)).toMatchObject({ error: 'BODY_TOO_LARGE', message: expect.stringContaining('limit of 1048576 bytes for POST /v1/items') });
  });

  it('answers 413 to a batch declared over 16 MiB before the body is sent, with the right key', async () => {
    const over = upload(ingestor.baseUrl, '/v1/batches', { 'x-api-key': KEYS.submit }, SIXTEEN_MB + 1024 * 1024);
    await waitFor(() => over.status !== undefined, { timeoutMs: 10_000, description: 'the answer' });
    over.stop();
    await over.ended;
    expect(over.status).toBe(413);
    expect(over.sentWhenAnswered).toBeLessThan(SIXTEEN_MB / 2);
    expect(JSON.parse(over.body)).toMatchObject({ error: 'BODY_TOO_LARGE', message: expect.stringContaining(`limit of ${SIXTEEN_MB} bytes for POST /v1/batches`) });
  });

  it('counts the inflated size against the limit: a 2 KB gzip body inflating past 1 MiB gets 413', async () => {
    // 2 MiB of JSON whitespace and one item compress to a couple of kilobytes.
    const inflated = Buffer.from(`{"key":"k-1","type":"zip","payload":{"pad":"${' '.repeat(2 * 1024 * 1024)}"}}`);
    const body = gzipSync(inflated);
    expect(body.length).toBeLessThan(16 * 1024);
    const answer = await send(ingestor.baseUrl, {
      method: 'POST',
      path: '/v1/items',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-api-key': KEYS.submit },
      body,
    });
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ statusCode: 413, error: 'BODY_TOO_LARGE' });
  });

  it('closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const socket = connect(Number(new URL(ingestor.baseUrl).port), '127.0.0.1');
    let answer = '';
    let closedAt: number | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('error', () => undefined);
    try {
      socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      await waitFor(() => /\r\n\r\n/.test(answer), { timeoutMs: 10_000, description: 'the answer' });
      const answeredAt = Date.now();
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer.toLowerCase()).toContain('connection: keep-alive');
      // Kept open for the next request, then closed by the server once idle for the setting (1 s here, checked every second).
      await waitFor(() => closedAt !== undefined, { timeoutMs: 15_000, description: 'the server closing the idle connection' });
      expect((closedAt as number) - answeredAt).toBeGreaterThanOrEqual(900);
    } finally {
      socket.destroy();
    }
  });

  it('cuts off a client that sends its body one byte at a time, with a JSON 408, within HTTP_REQUEST_TIMEOUT_MS', async () => {
    const body = JSON.stringify({ items: [{ key: 'k-1', type: 'slow' }] });
    const socket = connect(Number(new URL(ingestor.baseUrl).port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.write(`POST /v1/batches HTTP/1.1\r\nHost: x\r\nx-api-key: ${KEYS.submit}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    // One byte every 250 ms would take the whole body about 12 s: the server must not wait that long.
    const drip = setInterval(() => {
      if (!closed && sent < body.length) socket.write(body[sent++] as string);
    }, 250);
    try {
      await waitFor(() => closed, { timeoutMs: 10_000, description: 'the server closing the slow connection' });
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    expect(sent).toBeLessThan(body.length);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ statusCode: 408, error: 'REQUEST_TIMEOUT' });
  });

  it('cuts off a client that never finishes its headers, within HTTP_HEADERS_TIMEOUT_MS', async () => {
    const answer = await sendBytes(ingestor.baseUrl, 'GET /health/live HTTP/1.1\r\nHost: x\r\nx-slow: ', 10_000);
    expect(answer.status).toBe(408);
    expect(answer.json).toMatchObject({ error: 'REQUEST_TIMEOUT' });
  });

  it('answers a 20 KB API-key header with a JSON 431 naming the limit', async () => {
    const answer = await send(ingestor.baseUrl, { method: 'GET', path: '/v1/stats', headers: { 'x-api-key': 'k'.repeat(20_000) } });
    expect(answer.status).toBe(431);
    expect(answer.json).toMatchObject({ statusCode: 431, error: 'HEADERS_TOO_LARGE', message: expect.stringContaining('16384 bytes') });
  });

  it('puts security headers on every answer, and no X-Powered-By', async () => {
    const answers = await Promise.all([
      send(ingestor.baseUrl, { method: 'GET', path: '/health/live' }),
      send(ingestor.baseUrl, { method: 'POST', path: '/v1/items' }),
      send(ingestor.baseUrl, { method: 'GET', path: '/nothing' }),
      send(ingestor.baseUrl, { method: 'POST', path: '/v1/items', headers: { 'x-api-key': KEYS.submit, 'content-type': 'text/plain' }, body: 'x' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 404, 415]);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'strict-transport-security': expect.any(String),
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });
});
