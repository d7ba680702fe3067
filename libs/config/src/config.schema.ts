import { z } from 'zod';
import { apiKeyList } from './api-keys.schema';
import { booleanFlag, brokerList, nonNegativeInt, port, positiveInt } from './env-parsers';
import { IngestSourcesSchema } from './ingest-sources.schema';
import { StatsEnvironmentSchema } from './stats.schema';
import { RetryPolicyOverridesSchema } from '@workpipe/retry-policy';
import { DurationListSchema, DurationSchema } from './duration';
import { jsonEnv } from './json-env';
import { DownstreamsSchema, WorkTypesSchema } from './work-types.schema';
import { HttpEnvironmentSchema } from './http.schema';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Defaults point at the local stack (`npm run stack:up`). */
export const CONFIG_DEFAULTS = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6379',
  TOPIC_PREFIX: 'workpipe.',
  REDIS_KEY_PREFIX: 'workpipe:',
  TOPIC_PARTITIONS: 6,
  TOPIC_REPLICATION_FACTOR: 1,
  LOG_LEVEL: 'info',
  SHUTDOWN_TIMEOUT_MS: 15_000,
  DEDUP_TTL_HOURS: 24,
  PUBLISH_TIMEOUT_MS: 15_000,
  KAFKA_CONNECT_TIMEOUT_MS: 60_000,
  PROCESSOR_CONCURRENCY: 32,
  PROCESSOR_ATTEMPT_TIMEOUT_MS: 60_000,
  CONSUMER_COMMIT_INTERVAL_MS: 100,
  CONSUMER_WINDOW: 1000,
  CONSUMER_SESSION_TIMEOUT_MS: 30_000,
  CONSUMER_FETCH_STALL_MS: 90_000,
  TIME_SCALE: 1,
  DELAY_TIERS: '1s,5s,30s,1m,5m,15m,1h',
  KEY_CIRCUIT_FAILURES: 5,
  KEY_CIRCUIT_WINDOW: '1h',
  KEY_CIRCUIT_COOLDOWN: '30m',
  KEY_CIRCUIT_MODE: 'abandon',
} as const;

/**
 * The whole environment of every service, in one schema. Each variable is
 * documented in the README's configuration table; a bad value stops the
 * service with a message naming the variable.
 */
const CoreEnvironmentSchema = z.object({
  KAFKA_BROKERS: brokerList.default([CONFIG_DEFAULTS.KAFKA_BROKERS]),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: booleanFlag.default(false),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'only letters, digits, ".", "_" and "-" are allowed in topic names')
    .default(CONFIG_DEFAULTS.TOPIC_PREFIX),
  TOPIC_PARTITIONS: positiveInt.default(CONFIG_DEFAULTS.TOPIC_PARTITIONS),
  TOPIC_REPLICATION_FACTOR: positiveInt.default(CONFIG_DEFAULTS.TOPIC_REPLICATION_FACTOR),
  SCHEMA_REGISTRY_URL: z.url().default(CONFIG_DEFAULTS.SCHEMA_REGISTRY_URL),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
  REDIS_URL: z
    .url()
    .refine((value) => /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://')
    .default(CONFIG_DEFAULTS.REDIS_URL),
  REDIS_KEY_PREFIX: z.string().default(CONFIG_DEFAULTS.REDIS_KEY_PREFIX),
  HTTP_PORT: port.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default(CONFIG_DEFAULTS.LOG_LEVEL),
  LOG_PRETTY: booleanFlag.default(false),
  SHUTDOWN_TIMEOUT_MS: nonNegativeInt.default(CONFIG_DEFAULTS.SHUTDOWN_TIMEOUT_MS),
  API_KEYS: apiKeyList.default([]),
  DEDUP_TTL_HOURS: z.coerce.number().positive().default(CONFIG_DEFAULTS.DEDUP_TTL_HOURS),
  PUBLISH_TIMEOUT_MS: positiveInt.default(CONFIG_DEFAULTS.PUBLISH_TIMEOUT_MS),
  KAFKA_CONNECT_TIMEOUT_MS: positiveInt.default(CONFIG_DEFAULTS.KAFKA_CONNECT_TIMEOUT_MS),
  INGEST_SOURCES: IngestSourcesSchema.default([]),
  PROCESSOR_CONCURRENCY: positiveInt.default(CONFIG_DEFAULTS.PROCESSOR_CONCURRENCY),
  PROCESSOR_ATTEMPT_TIMEOUT_MS: positiveInt.default(CONFIG_DEFAULTS.PROCESSOR_ATTEMPT_TIMEOUT_MS),
  CONSUMER_COMMIT_INTERVAL_MS: positiveInt.default(CONFIG_DEFAULTS.CONSUMER_COMMIT_INTERVAL_MS),
  CONSUMER_WINDOW: positiveInt.default(CONFIG_DEFAULTS.CONSUMER_WINDOW),
  CONSUMER_SESSION_TIMEOUT_MS: positiveInt.min(6_000, 'the broker refuses a session timeout under 6000 ms').max(300_000).default(CONFIG_DEFAULTS.CONSUMER_SESSION_TIMEOUT_MS),
  CONSUMER_FETCH_STALL_MS: positiveInt.min(1_000).default(CONFIG_DEFAULTS.CONSUMER_FETCH_STALL_MS),
  WORK_TYPES: WorkTypesSchema.default({}),
  DOWNSTREAMS: DownstreamsSchema.default({}),
  TIME_SCALE: z.coerce
    .number()
    .gt(0, 'must be above 0')
    .max(1, 'must be at most 1 (it only shrinks delays)')
    .default(CONFIG_DEFAULTS.TIME_SCALE),
  RETRY_POLICY: jsonEnv(RetryPolicyOverridesSchema).default({}),
  DELAY_TIERS: DurationListSchema.prefault(CONFIG_DEFAULTS.DELAY_TIERS),
  KEY_CIRCUIT_FAILURES: nonNegativeInt.default(CONFIG_DEFAULTS.KEY_CIRCUIT_FAILURES),
  KEY_CIRCUIT_WINDOW: DurationSchema.prefault(CONFIG_DEFAULTS.KEY_CIRCUIT_WINDOW),
  KEY_CIRCUIT_COOLDOWN: DurationSchema.prefault(CONFIG_DEFAULTS.KEY_CIRCUIT_COOLDOWN),
  KEY_CIRCUIT_MODE: z.enum(['abandon', 'park']).default(CONFIG_DEFAULTS.KEY_CIRCUIT_MODE),
});

/** HTTP_HOST and the other HTTP settings live in http.schema.ts, the stats service's in stats.schema.ts. */
export const EnvironmentSchema = CoreEnvironmentSchema.extend(HttpEnvironmentSchema.shape).extend(StatsEnvironmentSchema.shape);

export type Environment = z.infer<typeof EnvironmentSchema>;
