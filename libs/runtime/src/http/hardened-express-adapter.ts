import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpSettings } from '@workpipe/config';
import { clientErrorAnswer, rawJsonResponse } from './client-error-response';

/** How often Node looks for requests past their headers or request timeout, in ms; the timeouts hold to within this. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Nest's Express adapter with the HTTP server it creates bounded: header size (HTTP_MAX_HEADER_BYTES,
 * 431 over it), the time a client may take to send its headers and its whole request
 * (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS; 408, so a slow-body client cannot hold a
 * connection), the keep-alive idle time (HTTP_KEEP_ALIVE_TIMEOUT_MS), and every refusal of Node's
 * parser answered in the API's JSON shape. Node's defaults are 16 KiB, 60 s, 300 s, checked every 30 s.
 */
export class HardenedExpressAdapter extends ExpressAdapter {
  constructor(private readonly settings: HttpSettings) {
    super();
    this.getInstance<{ disable(setting: string): void }>().disable('x-powered-by');
  }

  override initHttpServer(_options: NestApplicationOptions): void {
    const { settings } = this;
    const server = createServer(
      {
        maxHeaderSize: settings.maxHeaderBytes,
        headersTimeout: settings.headersTimeoutMs,
        requestTimeout: settings.requestTimeoutMs,
        keepAliveTimeout: settings.keepAliveTimeoutMs,
        connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, settings.headersTimeoutMs),
      },
      this.getInstance(),
    );
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, settings));
    server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
      const body = JSON.stringify({ statusCode: 417, error: 'EXPECTATION_FAILED', message: 'only "expect: 100-continue" is supported' });
      res.writeHead(417, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(body);
    });
    this.httpServer = server;
  }
}

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, settings: HttpSettings): void {
  const answer = clientErrorAnswer(error.code, settings);
  // A response of the request in flight may have started: writing another one would corrupt it.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (!answer || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(rawJsonResponse(answer), () => socket.destroy());
  // A client that never reads must not keep the socket either.
  setTimeout(() => socket.destroy(), 2_000).unref();
}
