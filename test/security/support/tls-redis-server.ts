import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from '../../support/free-port';
import type { TestCertificates } from './test-certificates';

export interface TlsRedisUser {
  username: string;
  password: string;
}

/**
 * The machine's `redis-server` on a TLS-only port (no plain-text port), with the test
 * certificates, no persistence, and one ACL user (the `default` user is off, so every client
 * must send the credentials of its `rediss://user:password@` URL). Clients need not present a
 * certificate (`--tls-auth-clients no`), as with most managed Redis offerings.
 */
export class TlsRedisServer {
  port = 0;
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    private readonly dir: string,
    private readonly certificates: TestCertificates,
    readonly user: TlsRedisUser,
  ) {}

  get logFile(): string {
    return join(this.dir, 'redis-tls.log');
  }

  async start(timeoutMs = 15_000): Promise<void> {
    this.port = await freePort();
    const log = openSync(this.logFile, 'a');
    const { certFile, keyFile, caFile } = this.certificates;
    const args = [
      '--port', '0', '--tls-port', String(this.port), '--bind', '127.0.0.1',
      '--tls-cert-file', certFile, '--tls-key-file', keyFile, '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no',
      '--save', '', '--appendonly', 'no', '--dir', this.dir,
      '--user', 'default', 'off',
      '--user', this.user.username, 'on', `>${this.user.password}`, '~*', '&*', '+@all',
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (!(await this.answers())) {
      if (child.exitCode !== null || child.signalCode !== null) {
        // A redis-server built without TLS says `Unrecognized option ... --tls-port` here.
        throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${this.tail()}`);
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer over TLS on ${this.port} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM, SIGKILL after 5 s; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** A TLS handshake with the test CA and an answer to PING (NOAUTH counts: it is up). */
  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: this.port, ca: this.certificates.ca, servername: 'localhost' });
      const done = (ok: boolean): void => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1_000, () => done(false));
      socket.once('secureConnect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => done(/^[+-]/.test(data.toString())));
      socket.once('error', () => done(false));
    });
  }

  private tail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
