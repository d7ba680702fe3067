import { redactSecrets, redactUrl } from '@workpipe/failure-classification';

/** What a redacted field says in a log line. */
export const LOG_CENSOR = '[redacted]';

/**
 * Log paths never written in clear: credentials in config, auth headers of HTTP
 * requests, and secrets a payload might carry.
 */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'apiKeys',
  '*.apiKeys',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'config.kafka.sasl',
  'config.schemaRegistry.password',
];

/**
 * Log paths holding a URL: written through {@link redactUrl} (no userinfo, no query value), not
 * censored whole, so a line still says where. `*.url` covers pino-http's `req.url`. A wildcard
 * matches one level only, hence the deeper paths of the configuration spelled out.
 */
export const REDACTED_URL_PATHS: readonly string[] = [
  'url',
  '*.url',
  'webhookUrl',
  '*.webhookUrl',
  'config.redis.url',
  'config.schemaRegistry.url',
  'config.stats.alerts.webhookUrl',
  'settings.alerts.webhookUrl',
];

/**
 * Log paths holding an error, which may quote a URL, a header or a token: a string (`{ err:
 * error.message }`) is written through `redactSecrets`, an error object (as pino's `err`
 * serializer writes it) with its `message` and `stack` so redacted.
 */
export const REDACTED_ERROR_PATHS: readonly string[] = ['err', '*.err', 'lastError'];

const ERROR_FIELDS: ReadonlySet<string> = new Set(REDACTED_ERROR_PATHS.map((path) => path.split('.').pop() as string));
const URL_FIELDS: ReadonlySet<string> = new Set(REDACTED_URL_PATHS.map((path) => path.split('.').pop() as string));

/**
 * pino's censor: a URL field gets its URL redacted, an error field its secrets, anything else
 * {@link LOG_CENSOR}.
 * @param value the value at a redacted path
 * @param path its keys, outermost first (a wildcard may show as a symbol)
 */
export function censorLogValue(value: unknown, path: readonly unknown[]): unknown {
  const field = path[path.length - 1];
  if (typeof field === 'string' && ERROR_FIELDS.has(field)) return redactError(value);
  if (typeof field === 'string' && URL_FIELDS.has(field)) {
    if (typeof value === 'string') return redactUrl(value);
    if (value instanceof URL) return redactUrl(value.href);
    if (value === undefined || value === null) return value;
  }
  return LOG_CENSOR;
}

function redactError(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  const { message, stack } = value as { message?: unknown; stack?: unknown };
  return {
    ...(value instanceof Error ? { type: value.name } : {}),
    ...value,
    ...(typeof message === 'string' ? { message: redactSecrets(message) } : {}),
    ...(typeof stack === 'string' ? { stack: redactSecrets(stack) } : {}),
  };
}

export { redactUrl };
