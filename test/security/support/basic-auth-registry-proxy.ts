import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './test-certificates';

export interface ProxiedRequest {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  /** Whether it carried the expected `Authorization: Basic` credentials (and so was forwarded). */
  authorized: boolean;
  /** The registry's status code, for a forwarded request; 401 for a refused one. */
  status: number;
}

/**
 * An https front for the real schema registry, as a registry behind TLS and basic auth is run in
 * production (a TLS-terminating proxy, Confluent Cloud): it serves the test certificate, answers
 * 401 to any request without `Authorization: Basic <username:password>`, and forwards the others,
 * path and body unchanged, to the registry at `upstream` (the local stack's, which has no auth).
 */
export class BasicAuthRegistryProxy {
  readonly requests: ProxiedRequest[] = [];
  private server?: Server;
  private readonly expected: string;
  private readonly upstream: URL;

  constructor(
    upstream: string,
    private readonly certificates: TestCertificates,
    credentials: { username: string; password: string },
  ) {
    this.upstream = new URL(upstream);
    this.expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  /** The proxy's SCHEMA_REGISTRY_URL: https, same path as the registry's own URL (e.g. `/apis/ccompat/v7`). */
  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `https://127.0.0.1:${port}${this.upstream.pathname.replace(/\/+$/, '')}`;
  }

  async start(): Promise<void> {
    this.server = createServer({ key: this.certificates.key, cert: this.certificates.cert }, (request, response) => {
      const url = request.url ?? '/';
      const method = request.method ?? 'GET';
      if (request.headers.authorization !== this.expected) {
        request.resume();
        this.requests.push({ method, url, authorized: false, status: 401 });
        response
          .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="schema-registry"' })
          .end(JSON.stringify({ error_code: 401, message: 'Unauthorized' }));
        return;
      }
      const headers: OutgoingHttpHeaders = { ...request.headers, host: this.upstream.host };
      delete headers.authorization;
      const forwarded = httpRequest(
        { host: this.upstream.hostname, port: this.upstream.port, method, path: url, headers },
        (upstreamResponse) => {
          this.requests.push({ method, url, authorized: true, status: upstreamResponse.statusCode ?? 0 });
          response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(response);
        },
      );
      forwarded.on('error', (error) => {
        this.requests.push({ method, url, authorized: true, status: 502 });
        response.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.message}`);
      });
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
