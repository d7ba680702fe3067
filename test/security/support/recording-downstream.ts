import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** As sent: path and query, percent-encoding kept. */
  url: string;
  /** The path part of `url`. */
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * A downstream (or webhook receiver) that records every request and answers by the `mode` query
 * value: `echo500` and `echo403` answer errors whose bodies quote the request's URL and credentials
 * (as careless APIs do), `ok` a report; anything else `status` with an empty body.
 */
export class RecordingDownstream {
  readonly requests: RecordedRequest[] = [];
  /** The bodies of the error answers, to show they did quote the secrets. */
  readonly answered: string[] = [];
  status = 204;
  url = '';
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const url = request.url ?? '';
        this.requests.push({ method: request.method ?? '', url, path: url.split('?')[0] ?? '', headers: request.headers });
        const mode = new URL(url, 'http://x').searchParams.get('mode');
        const auth = String(request.headers.authorization ?? '');
        if (mode === 'echo500') {
          const body = JSON.stringify({
            error: 'upstream https://svc:PLANTED-upstream-pw@backend.internal/x?X-Amz-Signature=PLANTED-amz-sig failed',
            request: url,
            authorization: auth,
          });
          this.answered.push(body);
          response.writeHead(500, { 'content-type': 'application/json' }).end(body);
        } else if (mode === 'echo403') {
          const body = `invalid credentials: Authorization: ${auth}; X-Signature: ${String(request.headers['x-signature'])}; at ${url}`;
          this.answered.push(body);
          response.writeHead(403, { 'content-type': 'text/plain' }).end(body);
        } else if (mode === 'ok') {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"rows":[1]}');
        } else {
          response.writeHead(this.status).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
