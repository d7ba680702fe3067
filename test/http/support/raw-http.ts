import { request } from 'node:http';
import { connect } from 'node:net';

/** One HTTP request as data: what a client sends, byte for byte where it matters. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  /** Sent as is (a string is UTF-8); an object is sent as JSON. */
  body?: string | Buffer | object;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, if it is JSON. */
  json?: Record<string, unknown>;
}

/** Sends a request with Node's client (no supertest defaults: no added content-type, no JSON encoding unless given an object). */
export function send(baseUrl: string, raw: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  const body = raw.body === undefined ? undefined : typeof raw.body === 'string' || Buffer.isBuffer(raw.body) ? raw.body : JSON.stringify(raw.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${raw.path}`,
      {
        method: raw.method,
        headers: {
          ...(body !== undefined && typeof raw.body === 'object' && !Buffer.isBuffer(raw.body) ? { 'content-type': 'application/json' } : {}),
          ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...raw.headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(answerOf(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${raw.method} ${raw.path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes bytes straight to a socket (for requests Node's client refuses to send) and reads the answer until the server closes. */
export function sendBytes(baseUrl: string, bytes: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is enough: stop once a whole response with a Content-Length has arrived.
      const parsed = parseResponse(Buffer.concat(chunks).toString('latin1'));
      if (parsed) {
        clearTimeout(timer);
        socket.destroy();
        resolve(parsed);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const parsed = parseResponse(Buffer.concat(chunks).toString('latin1'), true);
      if (parsed) resolve(parsed);
      else reject(new Error(`the server closed the connection without an answer (${Buffer.concat(chunks).length} bytes)`));
    });
    socket.write(bytes);
  });
}

function parseResponse(text: string, closed = false): RawAnswer | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(end + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (length !== undefined && Buffer.byteLength(body, 'latin1') < length) return undefined;
  if (length === undefined && !closed) return undefined;
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return answerOf(status, headers, Buffer.from(length === undefined ? body : body.slice(0, length), 'latin1').toString('utf8'));
}

function answerOf(status: number, headers: RawAnswer['headers'], text: string): RawAnswer {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}
