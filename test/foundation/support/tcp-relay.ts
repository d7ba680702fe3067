import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How a relay joins an accepted client to its upstream connection; default: bytes both ways, unchanged. */
export type RelayPipe = (client: Socket, upstream: Socket) => void;

const plainPipe: RelayPipe = (client, upstream) => {
  client.pipe(upstream).pipe(client);
};

/**
 * A TCP relay on 127.0.0.1 in front of a real server (Redis, a Kafka broker),
 * which a test can cut and bring back: `close()` stops listening and destroys
 * every relayed connection, as if the server had gone away for whoever goes
 * through the relay (and only for them: the server itself keeps running for
 * everyone else on the shared machine); `open()` listens again on the same port.
 */
export class TcpRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** The relay's port; 0 until first opened. */
  port = 0;

  constructor(
    private readonly upstream: { host: string; port: number },
    private readonly pipe: RelayPipe = plainPipe,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Listens (on the port it had, or a free one the first time). */
  async open(): Promise<this> {
    if (this.server) return this;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and cuts every connection through it: clients see a reset, then connection refused. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.upstream.port, this.upstream.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => {
        this.sockets.delete(socket);
        (socket === client ? upstream : client).destroy();
      });
    }
    this.pipe(client, upstream);
  }
}

export function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}
