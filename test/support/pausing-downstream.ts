import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildProfitabilityReport, findPortfolio } from '../../tools/simulator';

/** One report call as the downstream received it. */
export interface DownstreamCall {
  portfolioId: string;
  /** When the request reached the downstream, epoch milliseconds. */
  atMs: number;
}

export interface PausingDownstream {
  /** Base URL, e.g. `http://127.0.0.1:53411`. */
  readonly url: string;
  /** Every report call, in arrival order. */
  readonly calls: DownstreamCall[];
  /** When the window announced by the first answer resets (epoch ms); undefined until that answer is sent. */
  resetAtMs(): number | undefined;
  close(): Promise<void>;
}

/**
 * A downstream that says it is out of quota: its first report call is answered 200 with a
 * report and `X-RateLimit-Remaining: 0`, `X-RateLimit-Reset: <resetAfterSeconds>` (seconds
 * from the answer, as the simulator sends it); every later call gets a plain 200 report.
 * Each call's arrival time is recorded, so a test can tell whether anyone called before the
 * reset. (The simulator cannot send this: its `Remaining: 0` comes with a 1 s window or a 429,
 * and its request log has no arrival times.)
 */
export async function startPausingDownstream(resetAfterSeconds: number): Promise<PausingDownstream> {
  const calls: DownstreamCall[] = [];
  let resetAt: number | undefined;
  const server: Server = createServer((request, response) => {
    const atMs = Date.now();
    const url = new URL(request.url ?? '/', 'http://downstream.local');
    const match = /^\/portfolios\/([^/]+)\/profitability-report$/.exec(url.pathname);
    const portfolio = match ? findPortfolio(decodeURIComponent(match[1] as string)) : undefined;
    if (!portfolio) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    calls.push({ portfolioId: portfolio.portfolioId, atMs });
    const body = JSON.stringify(buildProfitabilityReport(portfolio, url.searchParams.get('date') ?? '2026-11-20'));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (resetAt === undefined) {
      resetAt = Date.now() + resetAfterSeconds * 1000;
      Object.assign(headers, { 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAfterSeconds) });
    }
    response.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    resetAtMs: () => resetAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
