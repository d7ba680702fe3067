import type { RegistrySettings } from '@workpipe/kafka';
import type { TestEnv } from './test-env';

/**
 * Registry subjects are the one thing a test leaves behind that `TestEnv.cleanup` does not
 * remove (topics, groups and Redis keys it does): every topic's `<topic>-value` subject. They
 * are deleted through the Confluent-compatible API, which wants a soft delete first and then
 * `?permanent=true` (a permanent delete of a subject not soft-deleted is refused).
 */

function headersOf(settings: RegistrySettings): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  if (settings.username) {
    headers.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password ?? ''}`).toString('base64')}`;
  }
  return headers;
}

async function call(settings: RegistrySettings, method: 'GET' | 'DELETE', path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${settings.url.replace(/\/+$/, '')}${path}`, {
    method,
    headers: headersOf(settings),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text for the error message
  }
  return { status: response.status, body };
}

/** Subjects whose name starts with `prefix`, soft-deleted ones included. */
export async function subjectsUnder(settings: RegistrySettings, prefix: string): Promise<string[]> {
  const { status, body } = await call(settings, 'GET', '/subjects?deleted=true');
  if (status !== 200 || !Array.isArray(body)) throw new Error(`GET /subjects answered ${status}: ${JSON.stringify(body)}`);
  return (body as string[]).filter((subject) => subject.startsWith(prefix)).sort();
}

/**
 * Deletes every subject under `prefix` for good (soft, then permanent; a 404 on either step
 * means it is already gone). Returns the subjects deleted. Refuses an empty prefix: the
 * registry is shared by every test and service of the machine.
 */
export async function deleteSubjectsUnder(settings: RegistrySettings, prefix: string): Promise<string[]> {
  if (prefix.length === 0) throw new Error('refusing to delete registry subjects without a prefix');
  const subjects = await subjectsUnder(settings, prefix);
  for (const subject of subjects) {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    for (const query of ['', '?permanent=true']) {
      const { status, body } = await call(settings, 'DELETE', `${path}${query}`);
      if (status !== 200 && status !== 404) throw new Error(`DELETE ${path}${query} answered ${status}: ${JSON.stringify(body)}`);
    }
  }
  return subjects;
}

/** The subjects of one test's topics (`<topicPrefix>...-value`), for an afterAll after `env.cleanup()`. */
export function deleteTestSubjects(env: TestEnv): Promise<string[]> {
  return deleteSubjectsUnder(env.config('cli').schemaRegistry, env.topicPrefix);
}

/** `env.cleanup()` (topics, groups, Redis keys) and then its registry subjects. */
export async function cleanupWithSubjects(env: TestEnv): Promise<void> {
  await env.cleanup();
  await deleteTestSubjects(env);
}
