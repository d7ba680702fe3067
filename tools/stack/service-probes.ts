import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { ProbeResult, READY, httpGet, notReady } from './readiness';

/** Ready when the broker answers a metadata request (kafkajs admin `describeCluster`) listing at least one broker. */
export async function probeKafkaMetadata(brokers: string): Promise<ProbeResult> {
  const kafka = new Kafka({
    clientId: 'workpipe-stack-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 ? READY : notReady('metadata lists no broker');
  } catch (error) {
    return notReady((error as Error).message);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Ready when `GET url` answers 200. */
export async function probeHttpOk(url: string): Promise<ProbeResult> {
  const response = await httpGet(url);
  if ('error' in response) return notReady(`GET ${url}: ${response.error}`);
  return response.status === 200 ? READY : notReady(`GET ${url} answered ${response.status}`);
}

function redisClient(port: number): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Failures surface through the awaited calls; without a listener ioredis would print them too.
  redis.on('error', () => undefined);
  return redis;
}

/** Ready when Redis answers PING with PONG. */
export async function probeRedisPing(port: number): Promise<ProbeResult> {
  const redis = redisClient(port);
  try {
    await redis.connect();
    const pong = await redis.ping();
    return pong === 'PONG' ? READY : notReady(`PING answered ${pong}`);
  } catch (error) {
    return notReady((error as Error).message);
  } finally {
    redis.disconnect();
  }
}

/** `Redis 7.0.15`, from INFO server. */
export async function redisVersion(port: number): Promise<string | undefined> {
  const redis = redisClient(port);
  try {
    await redis.connect();
    const info = await redis.info('server');
    const match = /^redis_version:(\S+)/m.exec(info);
    return match ? `Redis ${match[1]}` : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** `Apicurio Registry 3.3.3`, from GET /apis/registry/v3/system/info. */
export async function apicurioRegistryVersion(baseUrl: string): Promise<string | undefined> {
  const response = await httpGet(`${baseUrl}/apis/registry/v3/system/info`);
  if ('error' in response || response.status !== 200) return undefined;
  try {
    const info = JSON.parse(response.body) as { version?: unknown };
    return typeof info.version === 'string' ? `Apicurio Registry ${info.version}` : undefined;
  } catch {
    return undefined;
  }
}

/** `Confluent Schema Registry 7.7.1`, from GET /v1/metadata/version (answered by 7.x). */
export async function confluentRegistryVersion(baseUrl: string): Promise<string | undefined> {
  const response = await httpGet(`${baseUrl}/v1/metadata/version`);
  if ('error' in response || response.status !== 200) return undefined;
  try {
    const info = JSON.parse(response.body) as { version?: unknown };
    return typeof info.version === 'string' ? `Confluent Schema Registry ${info.version}` : undefined;
  } catch {
    return undefined;
  }
}
