import type { ApiKey } from './api-keys.schema';
import type { Environment } from './config.schema';
import type { HttpSettings } from './http.schema';
import type { IngestSource } from './ingest-sources.schema';
import type { StatsSettings } from './stats.schema';
import type { RetryPolicyOverrides } from '@workpipe/retry-policy';
import type { DownstreamConfig, WorkTypeConfig } from './work-types.schema';

export type ServiceName = 'ingestor' | 'processor' | 'retrier' | 'stats' | 'cli';

/** Default HTTP port of each service, so they can run side by side on one machine. */
export const DEFAULT_HTTP_PORTS: Readonly<Record<ServiceName, number>> = {
  ingestor: 3000,
  processor: 3001,
  retrier: 3002,
  stats: 3003,
  cli: 0,
};

/** The parsed configuration, grouped by the part of the system it configures. */
export interface AppConfig {
  service: ServiceName;
  kafka: {
    brokers: string[];
    clientId: string;
    ssl: boolean;
    sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
    /** Prefix of every topic name, e.g. `workpipe.` gives `workpipe.work`. */
    topicPrefix: string;
    /** Partitions of each provisioned topic (the unit of horizontal scaling). */
    partitions: number;
    replicationFactor: number;
    /** How long a starting service keeps trying to reach Kafka before it exits 1. */
    connectTimeoutMs: number;
  };
  schemaRegistry: { url: string; username?: string; password?: string };
  redis: { url: string; keyPrefix: string };
  /** The HTTP edge: where it listens, timeouts, size limits, routes open without a key. */
  http: HttpSettings;
  log: { level: Environment['LOG_LEVEL']; pretty: boolean };
  /** How long a SIGTERM waits for in-flight work before forcing exit, in milliseconds. */
  shutdownTimeoutMs: number;
  /** Accepted API keys and their roles; empty = authentication off. */
  apiKeys: ApiKey[];
  /** Longest a write to Kafka may take before the request fails with 503, in milliseconds. */
  publishTimeoutMs: number;
  ingest: {
    /** How long an accepted item id is remembered for duplicate detection, in milliseconds. */
    dedupTtlMs: number;
    /** Other systems' event topics to consume and map to work items. */
    sources: IngestSource[];
  };
  /** Every consumer (the partition worker). */
  consumers: {
    /** How often finished work is committed, in milliseconds (one transaction per partition per interval). */
    commitIntervalMs: number;
    /** Messages of a partition held between its committed offset and the last one fetched; the partition pauses when full. */
    window: number;
    /** How long a silent member keeps its partitions before the group hands them to the others, in milliseconds. */
    sessionTimeoutMs: number;
    /** A consumer that has not fetched for this long, in milliseconds, is restarted (kafkajs can stop fetching without failing). */
    fetchStallMs: number;
  };
  processor: {
    /** Items one processor instance works on at once. */
    concurrency: number;
    /** Longest one attempt may run (a handler that never returns becomes TIMEOUT), in milliseconds, unless its work type says otherwise. */
    attemptTimeoutMs: number;
    /** Handler settings per work type (config-defined types use built-in handlers). */
    workTypes: Record<string, WorkTypeConfig>;
    /** Rate limit and circuit breaker per downstream name. */
    downstreams: Record<string, DownstreamConfig>;
  };
  retry: {
    /** Multiplies every delay (retries, tiers excepted) for demos and tests; 1 = real time. */
    timeScale: number;
    /** Per-failure-type overrides of the default retry policy (RETRY_POLICY JSON). */
    policyOverrides: RetryPolicyOverrides;
    /** Delay-topic tiers, in milliseconds, strictly increasing. */
    delayTiersMs: number[];
    /** The retrier's per-key circuit: isolate a key after this many consecutive failed attempts (0 = off). */
    keyCircuitFailures: number;
    /** ...counted within this window, in milliseconds (scaled by timeScale). */
    keyCircuitWindowMs: number;
    /** How long an isolated key stays isolated, in milliseconds (scaled by timeScale). */
    keyCircuitCooldownMs: number;
    /** `abandon`: items of an isolated key are abandoned with CIRCUIT_OPEN; `park`: retried after the cool-down without spending an attempt. */
    keyCircuitMode: 'abandon' | 'park';
  };
  /** The stats service: materialization, live progress, alerts. */
  stats: StatsSettings;
}
