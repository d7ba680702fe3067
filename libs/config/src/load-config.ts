import type { AppConfig, ServiceName } from './app-config';
import { DEFAULT_HTTP_PORTS } from './app-config';
import { EnvironmentSchema } from './config.schema';
import { configIssuesOf } from './config-issues';
import { ConfigError, type ConfigIssue } from './errors/config-error';
import { httpSettingsIssues, httpSettingsOf } from './http.schema';
import { statsSettingsOf } from './stats.schema';

type EnvSource = Record<string, string | undefined>;

/**
 * Parses the environment once; throws {@link ConfigError} naming every bad variable, and where in
 * a JSON variable the problem is, without quoting any value (see `configIssuesOf`).
 */
export function loadConfig(service: ServiceName, env: EnvSource = process.env): AppConfig {
  const relevant = Object.fromEntries(
    Object.keys(EnvironmentSchema.shape).map((key) => [key, blankToUndefined(env[key])]),
  );
  const parsed = EnvironmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(configIssuesOf(parsed.error, relevant));
  }
  const e = parsed.data;
  const issues: ConfigIssue[] = [];
  if (e.KAFKA_SASL_MECHANISM && (!e.KAFKA_SASL_USERNAME || !e.KAFKA_SASL_PASSWORD)) {
    issues.push({
      variable: 'KAFKA_SASL_USERNAME',
      message: 'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is set',
    });
  }
  issues.push(...httpSettingsIssues(e));
  if (issues.length > 0) throw new ConfigError(issues);

  return {
    service,
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID ?? `workpipe-${service}`,
      ssl: e.KAFKA_SSL,
      sasl: e.KAFKA_SASL_MECHANISM
        ? {
            mechanism: e.KAFKA_SASL_MECHANISM,
            username: e.KAFKA_SASL_USERNAME as string,
            password: e.KAFKA_SASL_PASSWORD as string,
          }
        : undefined,
      topicPrefix: e.TOPIC_PREFIX,
      partitions: e.TOPIC_PARTITIONS,
      replicationFactor: e.TOPIC_REPLICATION_FACTOR,
      connectTimeoutMs: e.KAFKA_CONNECT_TIMEOUT_MS,
    },
    schemaRegistry: {
      url: e.SCHEMA_REGISTRY_URL,
      username: e.SCHEMA_REGISTRY_USERNAME,
      password: e.SCHEMA_REGISTRY_PASSWORD,
    },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    http: httpSettingsOf(e, e.HTTP_PORT ?? DEFAULT_HTTP_PORTS[service], e.API_KEYS.length > 0),
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    apiKeys: e.API_KEYS,
    publishTimeoutMs: e.PUBLISH_TIMEOUT_MS,
    ingest: { dedupTtlMs: Math.round(e.DEDUP_TTL_HOURS * 3_600_000), sources: e.INGEST_SOURCES },
    consumers: { commitIntervalMs: e.CONSUMER_COMMIT_INTERVAL_MS, window: e.CONSUMER_WINDOW, sessionTimeoutMs: e.CONSUMER_SESSION_TIMEOUT_MS, fetchStallMs: e.CONSUMER_FETCH_STALL_MS },
    processor: {
      concurrency: e.PROCESSOR_CONCURRENCY,
      attemptTimeoutMs: e.PROCESSOR_ATTEMPT_TIMEOUT_MS,
      workTypes: e.WORK_TYPES,
      downstreams: e.DOWNSTREAMS,
    },
    retry: {
      timeScale: e.TIME_SCALE,
      policyOverrides: e.RETRY_POLICY,
      delayTiersMs: e.DELAY_TIERS,
      keyCircuitFailures: e.KEY_CIRCUIT_FAILURES,
      keyCircuitWindowMs: Math.max(1, Math.round(e.KEY_CIRCUIT_WINDOW * e.TIME_SCALE)),
      keyCircuitCooldownMs: Math.max(1, Math.round(e.KEY_CIRCUIT_COOLDOWN * e.TIME_SCALE)),
      keyCircuitMode: e.KEY_CIRCUIT_MODE,
    },
    stats: statsSettingsOf(e),
  };
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
