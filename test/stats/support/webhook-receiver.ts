import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookReceiverOptions {
  /** Answers the first this many requests with `failStatus` (Infinity: every one). Default 0. */
  failFirst?: number;
  /** Status of a failed answer. Default 503. */
  failStatus?: number;
  /** Requests whose body this says yes to are read and never answered (the connection stays open). */
  hang?: (body: { alertId?: string; rule?: string; status?: string }) => boolean;
}

/** One request as the receiver saw it, and what it answered. */
export interface ReceivedRequest {
  alertId: string | undefined;
  body: unknown;
  answer: number | 'hung';
  /** How many hung requests were still open (not given up by the client) when this one came. */
  hungOpenOnArrival: number;
}

/** A tiny HTTP server standing in for an alert webhook: can fail its first requests, or hang some. */
export class WebhookReceiver {
  /** The bodies answered 2xx: what the webhook got. */
  readonly bodies: unknown[] = [];
  /** Every request, in arrival order. */
  readonly received: ReceivedRequest[] = [];
  private server?: Server;
  private failFirst: number;
  private hungOpen = 0;

  constructor(private readonly options: WebhookReceiverOptions = {}) {
    this.failFirst = options.failFirst ?? 0;
  }

  /** Hung requests whose connection is still open. */
  get hungOpenNow(): number {
    return this.hungOpen;
  }

  get requests(): number {
    return this.received.length;
  }

  /** The requests carrying this alert event (its `x-alert-id`). */
  requestsOf(alertId: string): ReceivedRequest[] {
    return this.received.filter((request) => request.alertId === alertId);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        const body = JSON.parse(text) as { alertId?: string; rule?: string; status?: string };
        const alertId = req.headers['x-alert-id'] as string | undefined;
        const hungOpenOnArrival = this.hungOpen;
        if (this.options.hang?.(body)) {
          this.received.push({ alertId, body, answer: 'hung', hungOpenOnArrival });
          this.hungOpen++;
          // The client giving up (its timeout) closes the connection.
          res.once('close', () => this.hungOpen--);
          return;
        }
        if (this.failFirst > 0) {
          this.failFirst--;
          const status = this.options.failStatus ?? 503;
          this.received.push({ alertId, body, answer: status, hungOpenOnArrival });
          res.writeHead(status).end('try later');
          return;
        }
        this.received.push({ alertId, body, answer: 204, hungOpenOnArrival });
        this.bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/alerts`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Hung requests keep their connections open: end them, or close never returns.
    server.closeAllConnections();
    await closed;
  }
}
