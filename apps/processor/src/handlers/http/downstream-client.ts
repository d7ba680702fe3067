import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What a downstream answered: status, headers (lower-case names, repeated values joined) and the body, as received and as text. */
export interface DownstreamResponse {
  status: number;
  headers: Record<string, string>;
  /** The body's bytes as received (what is hashed and saved: a body need not be UTF-8). */
  body: Buffer;
  /** The body decoded as UTF-8 (for classification and JSON). */
  bodyText: string;
}

export interface DownstreamRequest {
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string;
  /** Aborting it ends the request (and its socket) with the signal's reason. */
  signal: AbortSignal;
  /** No complete answer after this long, in milliseconds, ends the request with `timeoutError()`. */
  timeoutMs: number;
  timeoutError: () => Error;
}

// One keep-alive pool per protocol for every http work type: a call reuses a warm connection.
const agents = {
  http: new HttpAgent({ keepAlive: true, keepAliveMsecs: 1_000, maxFreeSockets: 256, scheduling: 'lifo' }),
  https: new HttpsAgent({ keepAlive: true, keepAliveMsecs: 1_000, maxFreeSockets: 256, scheduling: 'lifo' }),
};

/**
 * One HTTP call with `node:http`/`node:https` over keep-alive connections. Not
 * `fetch`: for the small, many calls of a work pipeline it costs several times
 * the CPU (a wasm parser, web streams, per-call signals and header objects).
 * Redirects are never followed: a 3xx is returned as it is.
 */
export function callDownstream(url: string, request: DownstreamRequest): Promise<DownstreamResponse> {
  return new Promise((resolve, reject) => {
    const { signal } = request;
    if (signal.aborted) return reject(signal.reason);
    const https = url.startsWith('https:');
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    // One timer and one listener per call (not an AbortController and AbortSignal.any each).
    let settled = false;
    const finish = (error: Error | undefined, response?: DownstreamResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response as DownstreamResponse);
    };
    const outgoing = (https ? httpsRequest : httpRequest)(
      url,
      { method: request.method, headers, agent: https ? agents.https : agents.http },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => finish(error));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          finish(undefined, { status: response.statusCode ?? 0, headers: flatHeaders(response.headers), body, bodyText: body.toString('utf8') });
        });
      },
    );
    const timer = setTimeout(() => {
      const error = request.timeoutError();
      outgoing.destroy(error);
      finish(error);
    }, request.timeoutMs);
    const onAbort = (): void => {
      outgoing.destroy(signal.reason as Error);
      finish(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) => finish(error));
    outgoing.end(request.body);
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
