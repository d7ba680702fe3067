/**
 * The benchmark's downstream, run as a process of its own (its CPU is counted
 * apart from the pipeline's): answers `GET /items/<id>` with a small JSON
 * report, after `BENCH_LATENCY_MS`, and fails the first request of an id with
 * a 500 for a share `BENCH_FAIL_RATE` of the ids (chosen by a hash of the id,
 * so reruns fail the same ids; later requests of an id succeed).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.env.BENCH_DOWNSTREAM_PORT ?? 0);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
const failRate = Number(process.env.BENCH_FAIL_RATE ?? 0);
const seen = new Set<string>();
const body = JSON.stringify({ rows: [{ value: 1 }] });

function failsFirst(id: string): boolean {
  if (failRate <= 0) return false;
  return createHash('sha1').update(id).digest().readUInt32BE(0) / 0xffffffff < failRate;
}

const server = createServer((request, response) => {
  const id = decodeURIComponent((request.url ?? '').replace(/^\/items\//, '').split('?')[0] ?? '');
  const answer = (): void => {
    const first = !seen.has(id);
    seen.add(id);
    if (first && failsFirst(id)) {
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"bench failure"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };
  if (latencyMs > 0) setTimeout(answer, latencyMs);
  else answer();
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
