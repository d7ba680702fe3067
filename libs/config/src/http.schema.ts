import { z } from 'zod';
import type { ConfigIssue } from './errors/config-error';
import { booleanFlag } from './env-parsers';

/** The HTTP edge of every service: timeouts, size limits and which routes are open without a key. */
export const HTTP_SETTINGS_DEFAULTS = {
  HTTP_HEADERS_TIMEOUT_MS: 10_000,
  HTTP_REQUEST_TIMEOUT_MS: 30_000,
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
  HTTP_MAX_HEADER_BYTES: 16_384,
  HTTP_BODY_LIMIT_BYTES: 65_536,
  HTTP_ITEM_BODY_LIMIT_BYTES: 1_048_576,
  HTTP_BATCH_BODY_LIMIT_BYTES: 16_777_216,
  HTTP_JSON_MAX_DEPTH: 64,
} as const;

/**
 * Where a service listens when HTTP_HOST is not set: on every interface once API keys guard it,
 * on loopback only while authentication is off (no API_KEYS), so an open service is not reachable
 * from other machines by accident.
 */
export const DEFAULT_HTTP_HOSTS = { withApiKeys: '0.0.0.0', withoutApiKeys: '127.0.0.1' } as const;

const D = HTTP_SETTINGS_DEFAULTS;
const milliseconds = z.coerce.number().int().positive().max(3_600_000, 'must be at most 3600000 (one hour)');
const bytes = z.coerce.number().int().positive().max(1_073_741_824, 'must be at most 1073741824 (1 GiB)');

export const HttpEnvironmentSchema = z.object({
  HTTP_HOST: z.string().min(1).optional(),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds.default(D.HTTP_HEADERS_TIMEOUT_MS),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds.default(D.HTTP_REQUEST_TIMEOUT_MS),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds.default(D.HTTP_KEEP_ALIVE_TIMEOUT_MS),
  HTTP_MAX_HEADER_BYTES: z.coerce.number().int().min(1_024, 'must be at least 1024').max(1_048_576, 'must be at most 1048576').default(D.HTTP_MAX_HEADER_BYTES),
  HTTP_BODY_LIMIT_BYTES: bytes.default(D.HTTP_BODY_LIMIT_BYTES),
  HTTP_ITEM_BODY_LIMIT_BYTES: bytes.default(D.HTTP_ITEM_BODY_LIMIT_BYTES),
  HTTP_BATCH_BODY_LIMIT_BYTES: bytes.default(D.HTTP_BATCH_BODY_LIMIT_BYTES),
  HTTP_JSON_MAX_DEPTH: z.coerce.number().int().min(8, 'must be at least 8').max(1_000, 'must be at most 1000').default(D.HTTP_JSON_MAX_DEPTH),
  METRICS_OPEN: booleanFlag.default(false),
  DOCS_OPEN: booleanFlag.default(false),
});

/** Size limits of request bodies, in bytes, by the kind of route (a route names its kind with `@BodyLimit`). */
export interface BodyLimits {
  /** Every route but those below (stats queries, clear-old, ...). Default 65536 (64 KiB). */
  default: number;
  /** `POST /v1/items`: one item, as large as the work topic takes one. Default 1048576 (1 MiB). */
  item: number;
  /** `POST /v1/batches`: up to 1000 items. Default 16777216 (16 MiB). */
  batch: number;
}
export type BodyLimitKind = keyof BodyLimits;

export interface HttpSettings {
  /** Interface to listen on. Default `0.0.0.0` with API_KEYS set, `127.0.0.1` without (auth off). */
  host: string;
  port: number;
  /** Most time a client may take to send a request's headers, in milliseconds (`server.headersTimeout`); then 408. Default 10000. */
  headersTimeoutMs: number;
  /** Most time a client may take to send a whole request, headers and body, in milliseconds (`server.requestTimeout`); then 408. Default 30000. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between two requests, in milliseconds (`server.keepAliveTimeout`). Default 5000. */
  keepAliveTimeoutMs: number;
  /** Largest request line plus headers, in bytes (`maxHeaderSize`); over it the answer is 431. Default 16384. */
  maxHeaderBytes: number;
  bodyLimits: BodyLimits;
  /** Deepest nesting of objects and arrays in a JSON body; deeper is 400. Default 64. */
  maxJsonDepth: number;
  /** `/metrics` answers without a key (for a scraper that cannot send one). Default false: a key with the `read` role. */
  metricsOpen: boolean;
  /** `/docs` and `/docs-json` answer without a key. Default false: a key with the `read` role. */
  docsOpen: boolean;
}

type HttpEnvironment = z.infer<typeof HttpEnvironmentSchema>;

/** Settings that are valid one by one but not together (Node refuses a headers timeout above the request timeout). */
export function httpSettingsIssues(e: HttpEnvironment): ConfigIssue[] {
  if (e.HTTP_HEADERS_TIMEOUT_MS <= e.HTTP_REQUEST_TIMEOUT_MS) return [];
  return [{ variable: 'HTTP_HEADERS_TIMEOUT_MS', message: 'must not be above HTTP_REQUEST_TIMEOUT_MS' }];
}

/** The HTTP section of the configuration, from the parsed environment. */
export function httpSettingsOf(e: HttpEnvironment, port: number, apiKeysConfigured: boolean): HttpSettings {
  return {
    host: e.HTTP_HOST ?? (apiKeysConfigured ? DEFAULT_HTTP_HOSTS.withApiKeys : DEFAULT_HTTP_HOSTS.withoutApiKeys),
    port,
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderBytes: e.HTTP_MAX_HEADER_BYTES,
    bodyLimits: { default: e.HTTP_BODY_LIMIT_BYTES, item: e.HTTP_ITEM_BODY_LIMIT_BYTES, batch: e.HTTP_BATCH_BODY_LIMIT_BYTES },
    maxJsonDepth: e.HTTP_JSON_MAX_DEPTH,
    metricsOpen: e.METRICS_OPEN,
    docsOpen: e.DOCS_OPEN,
  };
}
