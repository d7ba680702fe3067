import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny HTTP server standing in for an alert webhook; can fail its first requests. */
export class WebhookReceiver {
  readonly bodies: unknown[] = [];
  requests = 0;
  private server?: Server;

  constructor(private failFirst = 0) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        this.requests++;
        if (this.failFirst > 0) {
          this.failFirst--;
          res.writeHead(503).end('try later');
          return;
        }
        this.bodies.push(JSON.parse(text) as unknown);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/alerts`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
