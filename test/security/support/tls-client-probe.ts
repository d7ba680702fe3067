/**
 * Run as its own process (`tsx test/security/support/tls-client-probe.ts redis|registry`), because
 * NODE_EXTRA_CA_CERTS is read once, when Node starts. It builds the clients exactly as a service
 * does, from `loadConfig('processor', process.env)`, uses them once and prints one JSON line:
 * `{"ok":true,...}` or `{"ok":false,"name":...,"message":...}`.
 *
 * - `redis`: `createRedis` with REDIS_URL (a `rediss://` URL), then PING, SET, GET, DEL of `<REDIS_KEY_PREFIX>tls-probe`;
 * - `registry`: a `RegistrySerde` of SCHEMA_REGISTRY_URL / _USERNAME / _PASSWORD registers the
 *   WorkItem contract for PROBE_TOPIC, encodes an item and decodes it again.
 */
import { isDeepStrictEqual } from 'node:util';
import { loadConfig } from '@workpipe/config';
import { WorkItem } from '@workpipe/contracts';
import { RegistrySerde, SchemaRegistryError } from '@workpipe/kafka';
import { createLogger, redactUrl } from '@workpipe/logging';
import { createRedis } from '@workpipe/redis';

/** How long the probe waits for Redis to become ready (or to fail), in milliseconds. */
const READY_TIMEOUT_MS = 10_000;

type Outcome = { ok: true } & Record<string, unknown>;

async function probeRedis(): Promise<Outcome> {
  const config = loadConfig('processor', process.env);
  const redis = createRedis(config.redis, createLogger({ service: 'tls-probe', level: 'silent' }), { name: 'tls-probe' });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      // The first failure (a refused certificate, a wrong password) is the answer: no reconnecting.
      redis.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const key = `${config.redis.keyPrefix}tls-probe`;
    const pong = await redis.ping();
    await redis.set(key, 'over TLS', 'PX', 60_000);
    const echoed = await redis.get(key);
    await redis.del(key);
    return { ok: true, url: redactUrl(config.redis.url), pong, echoed };
  } finally {
    redis.disconnect();
  }
}

async function probeRegistry(): Promise<Outcome> {
  const config = loadConfig('processor', process.env);
  const topic = process.env.PROBE_TOPIC;
  if (!topic) throw new Error('PROBE_TOPIC is not set');
  const serde = new RegistrySerde(config.schemaRegistry);
  const item: WorkItem.Value = {
    itemId: 'TLS-0001-2026-11-22',
    key: 'TLS-0001',
    type: 'portfolio-report',
    batchId: 'batch-tls',
    payload: { portfolioId: 'TLS-0001', date: '2026-11-22' },
    attempt: 1,
    createdAt: new Date().toISOString(),
    correlationId: 'corr-tls',
    history: [],
  };
  const id = await serde.register(topic, WorkItem);
  const bytes = await serde.encode(topic, WorkItem, item);
  const decoded = await serde.decode(bytes, WorkItem);
  return { ok: true, url: config.schemaRegistry.url, id, idInBytes: bytes.readInt32BE(1), roundTrip: isDeepStrictEqual(decoded, item) };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const probe = mode === 'redis' ? probeRedis : mode === 'registry' ? probeRegistry : undefined;
  if (!probe) throw new Error(`usage: tls-client-probe.ts redis|registry (got ${mode})`);
  let line: Record<string, unknown>;
  try {
    line = await probe();
  } catch (error) {
    const err = error as Error & { code?: string };
    line = {
      ok: false,
      name: err.name,
      message: err.message,
      code: err.code,
      retryable: error instanceof SchemaRegistryError ? error.retryable : undefined,
    };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
