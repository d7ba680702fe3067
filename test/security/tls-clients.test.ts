import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ServiceName } from '@workpipe/config';
import { deleteSubjectsUnder } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { BasicAuthRegistryProxy } from './support/basic-auth-registry-proxy';
import { createTestCertificates, type TestCertificates } from './support/test-certificates';
import { runTlsClientProbe } from './support/tls-client-probe-process';
import { TlsRedisServer } from './support/tls-redis-server';

/**
 * TLS to Redis and to the schema registry with real servers: the machine's redis-server on a
 * TLS-only port, and an https proxy with basic auth in front of the stack's real registry, both
 * with a throwaway CA. The clients are the services' own (createRedis, RegistrySerde), built by
 * loadConfig in a child process that trusts the CA through NODE_EXTRA_CA_CERTS, as the README
 * says to run a service against a private CA. (Kafka's TLS and SASL options: kafka-client.factory.spec.ts.)
 */

const SERVICES: readonly ServiceName[] = ['ingestor', 'processor', 'retrier', 'stats'];
const REDIS_USER = { username: 'workpipe-svc', password: 'tls-redis-secret' };
const REGISTRY_USER = { username: 'registry-svc', password: 'registry-secret' };

const env = new TestEnv('tls');
const registry = env.config('cli').schemaRegistry;
let dir: string;
let certificates: TestCertificates;
let redis: TlsRedisServer;
let proxy: BasicAuthRegistryProxy;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workpipe-tls-'));
  certificates = createTestCertificates(dir);
  redis = new TlsRedisServer(dir, certificates, REDIS_USER);
  proxy = new BasicAuthRegistryProxy(registry.url, certificates, REGISTRY_USER);
  await Promise.all([redis.start(), proxy.start()]);
});

afterAll(async () => {
  await Promise.allSettled([redis?.stop(), proxy?.stop()]);
  await deleteSubjectsUnder(registry, env.topicPrefix);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Redis over TLS (rediss://)', () => {
  const rediss = (): string => `rediss://${REDIS_USER.username}:${REDIS_USER.password}@127.0.0.1:${redis.port}`;

  it('accepts a rediss:// REDIS_URL with credentials in every service configuration', () => {
    for (const service of SERVICES) {
      expect(loadConfig(service, { REDIS_URL: rediss() }).redis.url).toBe(rediss());
    }
  });

  it("connects the services' Redis client to a TLS-only redis-server, trusting its CA from NODE_EXTRA_CA_CERTS", async () => {
    const outcome = await runTlsClientProbe('redis', {
      REDIS_URL: rediss(),
      REDIS_KEY_PREFIX: env.redisPrefix,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(outcome).toMatchObject({ ok: true, pong: 'PONG', echoed: 'over TLS' });
    // What the client logs as its address: the TLS URL, without the password.
    expect(outcome.url).toMatch(new RegExp(`^rediss://.*127\\.0\\.0\\.1:${redis.port}$`));
    expect(outcome.url).not.toContain(REDIS_USER.password);
  });

  it('refuses the TLS connection when the CA is not trusted', async () => {
    const outcome = await runTlsClientProbe('redis', { REDIS_URL: rediss(), NODE_EXTRA_CA_CERTS: undefined });
    expect(outcome).toMatchObject({ ok: false, code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(outcome.message).toMatch(/self-signed certificate in certificate chain/);
  });

  it('is TLS only: the same client with a redis:// URL gets no answer from that port', async () => {
    const outcome = await runTlsClientProbe('redis', {
      REDIS_URL: `redis://${REDIS_USER.username}:${REDIS_USER.password}@127.0.0.1:${redis.port}`,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(outcome).toMatchObject({ ok: false });
  });
});

describe('schema registry over https with basic auth', () => {
  const topic = `${env.topicPrefix}work`;

  it('registers, encodes and decodes through an https SCHEMA_REGISTRY_URL with SCHEMA_REGISTRY_USERNAME/PASSWORD', async () => {
    const before = proxy.requests.length;
    const outcome = await runTlsClientProbe('registry', {
      SCHEMA_REGISTRY_URL: proxy.url,
      SCHEMA_REGISTRY_USERNAME: REGISTRY_USER.username,
      SCHEMA_REGISTRY_PASSWORD: REGISTRY_USER.password,
      PROBE_TOPIC: topic,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(outcome).toMatchObject({ ok: true, url: proxy.url, roundTrip: true });
    expect(outcome.idInBytes).toBe(outcome.id);

    // Every call went through the https proxy with the credentials, and the real registry holds the schema.
    const calls = proxy.requests.slice(before);
    expect(calls.map((call) => `${call.method} ${call.url.split('?')[0]}`)).toEqual(
      expect.arrayContaining([
        `PUT /apis/ccompat/v7/config/${encodeURIComponent(`${topic}-value`)}`,
        `POST /apis/ccompat/v7/subjects/${encodeURIComponent(`${topic}-value`)}/versions`,
        `GET /apis/ccompat/v7/schemas/ids/${String(outcome.id)}`,
      ]),
    );
    expect(calls.every((call) => call.authorized && call.status < 400)).toBe(true);
    const latest = await fetch(`${registry.url}/subjects/${encodeURIComponent(`${topic}-value`)}/versions/latest`);
    expect(((await latest.json()) as { id: number }).id).toBe(outcome.id);
  });

  it('fails with a clear, non-retryable 401 error on a wrong password', async () => {
    const before = proxy.requests.length;
    const outcome = await runTlsClientProbe('registry', {
      SCHEMA_REGISTRY_URL: proxy.url,
      SCHEMA_REGISTRY_USERNAME: REGISTRY_USER.username,
      SCHEMA_REGISTRY_PASSWORD: 'not-the-password',
      PROBE_TOPIC: `${env.topicPrefix}refused`,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(outcome).toMatchObject({ ok: false, name: 'SchemaRegistryError', retryable: false });
    expect(outcome.message).toMatch(/^registering WorkItem under .*refused-value failed: PUT \/config\/.* answered 401: .*Unauthorized/);
    expect(outcome.message).not.toContain('not-the-password');
    // Refused once, not retried.
    expect(proxy.requests.slice(before)).toEqual([expect.objectContaining({ method: 'PUT', authorized: false, status: 401 })]);
  });

  it('names the certificate problem when the CA is not trusted (a retryable error: the message is fine)', async () => {
    const before = proxy.requests.length;
    const outcome = await runTlsClientProbe('registry', {
      SCHEMA_REGISTRY_URL: proxy.url,
      SCHEMA_REGISTRY_USERNAME: REGISTRY_USER.username,
      SCHEMA_REGISTRY_PASSWORD: REGISTRY_USER.password,
      PROBE_TOPIC: `${env.topicPrefix}untrusted`,
      NODE_EXTRA_CA_CERTS: undefined,
    });
    expect(outcome).toMatchObject({ ok: false, name: 'SchemaRegistryError', retryable: true });
    expect(outcome.message).toMatch(/PUT \/config\/.*untrusted-value: fetch failed: unable to verify the first certificate/);
    // No request got past the TLS handshake.
    expect(proxy.requests.length).toBe(before);
  });
});
