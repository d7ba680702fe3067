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
  'config.kafka.sasl',
  'config.schemaRegistry.password',
];

/** Strips credentials from a URL before it is logged: `redis://user:pw@h:1` -> `redis://user:***@h:1`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]+@/, '//$1:***@');
  }
}
