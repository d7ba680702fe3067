import type { AppConfig } from '@workpipe/config';

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/**
 * What a service says at start-up when API_KEYS is empty (authentication off), or undefined when
 * keys are configured. Louder when HTTP_HOST opens the unauthenticated service to other machines.
 */
export function authenticationOffWarning(config: Pick<AppConfig, 'apiKeys' | 'http'>): string | undefined {
  if (config.apiKeys.length > 0) return undefined;
  const where = LOOPBACK.test(config.http.host)
    ? `listening on ${config.http.host} only; set API_KEYS before pointing HTTP_HOST elsewhere`
    : `HTTP_HOST=${config.http.host} makes it reachable from other machines: set API_KEYS`;
  return `authentication is OFF: API_KEYS is empty, so every endpoint answers without a key; ${where}`;
}
