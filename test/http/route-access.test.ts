import type { ApiRole } from '@workpipe/config';
import { keyIdOf } from '../../apps/stats/src/operations/requester';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { TestEnv } from '../support/test-env';
import { KEYS, listRoutes, SERVICES, startService, type RunningService } from './support/http-services';
import { send } from './support/raw-http';

/** `any key`: every valid key, whatever its roles (`@RequireApiKey`). */
type Access = 'public' | ApiRole | 'any key';

/**
 * What every route of every service needs. A route the services answer that is not in this table
 * fails the test, so a new endpoint is a decision, not an accident.
 */
const COMMON: Record<string, Access> = {
  'GET /health': 'public',
  'GET /health/ready': 'public',
  'GET /health/live': 'public',
  'GET /metrics': 'read',
  'GET /docs': 'read',
  'GET /docs/': 'read',
  'GET /docs/index.html': 'read',
  'GET /docs/LICENSE': 'read',
  'GET /docs/swagger-ui-init.js': 'read',
  'GET /docs/docs/swagger-ui-init.js': 'read',
  // A static file of the Swagger UI, served by a middleware under /docs rather than a route.
  'GET /docs/swagger-ui.css': 'read',
  'GET /docs-json': 'read',
  'GET /docs-yaml': 'read',
};
const EXPECTED: Record<string, Record<string, Access>> = {
  ingestor: { ...COMMON, 'POST /v1/items': 'submit', 'POST /v1/batches': 'submit' },
  processor: COMMON,
  retrier: COMMON,
  stats: {
    ...COMMON,
    'GET /v1/stats': 'read',
    'GET /v1/batches': 'read',
    'GET /v1/batches/:id': 'read',
    'GET /v1/batches/:id/events': 'read',
    'GET /v1/failures': 'read',
    'GET /v1/failures.csv': 'read',
    'GET /v1/alerts': 'read',
    'GET /v1/me': 'any key',
    'POST /v1/failures/clear-old': 'operate',
    'GET /v1/items/:id': 'read',
    'GET /v1/replays': 'read',
    'GET /v1/replays/:id': 'read',
    'GET /v1/replay-requests': 'read',
    'POST /v1/replays': 'operate',
    'POST /v1/replays/:id/continue': 'operate',
    'POST /v1/replays/:id/cancel': 'operate',
  },
};

/** A key that lacks `role` (and every key has just one role, or all). */
const WRONG_ROLE: Record<ApiRole, string> = { read: KEYS.submit, submit: KEYS.read, operate: KEYS.read };
const RIGHT_ROLE: Record<ApiRole, string> = { read: KEYS.read, submit: KEYS.submit, operate: KEYS.operate };

const concrete = (path: string): string => path.replace(':id', 'no-such-id');

/** The routes of a service's router (the logging middleware's `/{*path}` aside), and the Swagger UI's static files. */
function routesOf(service: RunningService): string[] {
  const listed = listRoutes(service.app)
    .filter((route) => route.path !== '/{*path}')
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set([...listed, 'GET /docs/swagger-ui.css'])].sort();
}

describe('every route of every service is guarded or explicitly public', () => {
  const env = new TestEnv('http-routes');
  const running: RunningService[] = [];

  beforeAll(async () => {
    for (const [, definition] of SERVICES) running.push(await startService(env, definition));
  });

  afterAll(async () => {
    for (const service of running.splice(0).reverse()) await service.app.close();
    await env.cleanup();
  });

  it('lists exactly the routes of the table', async () => {
    for (const service of running) {
      // `/{*path}` (every method) is Nest's request-logging middleware, which only passes a request on.
      expect({ service: service.name, routes: routesOf(service) }).toEqual({ service: service.name, routes: Object.keys(EXPECTED[service.name] as object).sort() });
      // ...so a path that no route takes is a JSON 404, with or without a key.
      const unknown = await send(service.baseUrl, { method: 'POST', path: '/v1/nothing-here' });
      expect([unknown.status, typeof unknown.json?.message]).toEqual([404, 'string']);
    }
  });

  it('answers 401 without a key or with a wrong one, 403 with a key of another role, and lets the right role through', async () => {
    const verdicts: string[] = [];
    const expected: string[] = [];
    for (const service of running) {
      // Every route the router has, so one missing from the table is still tried without a key.
      for (const route of routesOf(service)) {
        const access: Access = (EXPECTED[service.name] as Record<string, Access>)[route] ?? 'read';
        const refusals = 'no key: 401 API_KEY_MISSING, wrong: 401 API_KEY_INVALID, wrong bearer: 401';
        expected.push(
          access === 'public'
            ? `${service.name} ${route} no key: open`
            : access === 'any key'
              ? `${service.name} ${route} ${refusals}, each role's key: through`
              : `${service.name} ${route} ${refusals}, other role: 403 ROLE_MISSING, right role: through`,
        );
        const [method = 'GET', path = '/'] = route.split(' ');
        const ask = (headers: Record<string, string>) => send(service.baseUrl, { method, path: concrete(path), headers });
        if (access === 'public') {
          const open = await ask({});
          verdicts.push(`${service.name} ${route} no key: ${open.status < 400 || open.status === 503 ? 'open' : open.status}`);
          continue;
        }
        const missing = await ask({});
        const wrong = await ask({ 'x-api-key': 'not-a-key-0001' });
        const bearerWrong = await ask({ authorization: 'Bearer not-a-key-0001' });
        const through = (status: number): string => (status === 401 || status === 403 ? String(status) : 'through');
        const refused = `no key: ${missing.status} ${String(missing.json?.error)}, wrong: ${wrong.status} ${String(wrong.json?.error)}, wrong bearer: ${bearerWrong.status}`;
        expect(missing.headers['www-authenticate']).toBe('Bearer realm="workpipe"');
        if (access === 'any key') {
          const answers = await Promise.all(Object.values(RIGHT_ROLE).map((key) => ask({ 'x-api-key': key })));
          const verdict = new Set(answers.map((answer) => through(answer.status)));
          verdicts.push(`${service.name} ${route} ${refused}, each role's key: ${[...verdict].join('/')}`);
          continue;
        }
        const otherRole = await ask({ 'x-api-key': WRONG_ROLE[access] });
        const right = await ask({ authorization: `Bearer ${RIGHT_ROLE[access]}` });
        verdicts.push(`${service.name} ${route} ${refused}, other role: ${otherRole.status} ${String(otherRole.json?.error)}, right role: ${through(right.status)}`);
        expect(right.status).toBeLessThan(500);
      }
    }
    expect(verdicts).toEqual(expected);
  });

  it("answers GET /v1/me with the calling key's roles and its hashed name, never the key, and 401 without one", async () => {
    const stats = running.find((service) => service.name === 'stats') as RunningService;
    const me = async (headers: Record<string, string>) => send(stats.baseUrl, { method: 'GET', path: '/v1/me', headers });
    const answers: Record<string, unknown> = {};
    for (const [name, key] of Object.entries(KEYS)) {
      const answer = await me({ 'x-api-key': key });
      expect(answer.text).not.toContain(key);
      answers[name] = answer.json;
    }
    // Named as the replay records name their requester.
    const hashed = keyIdOf;
    expect(answers).toEqual({
      all: { keysConfigured: true, keyId: hashed(KEYS.all), roles: ['read', 'submit', 'operate'] },
      read: { keysConfigured: true, keyId: hashed(KEYS.read), roles: ['read'] },
      submit: { keysConfigured: true, keyId: hashed(KEYS.submit), roles: ['submit'] },
      operate: { keysConfigured: true, keyId: hashed(KEYS.operate), roles: ['operate'] },
    });
    expect((await me({ authorization: `Bearer ${KEYS.operate}` })).json).toMatchObject({ roles: ['operate'] });
    const none = await me({});
    expect([none.status, none.json?.error]).toEqual([401, 'API_KEY_MISSING']);
  });

  it('opens /metrics and the docs without a key only when METRICS_OPEN and DOCS_OPEN say so', async () => {
    const open = await startService(env, STATS, { METRICS_OPEN: 'true', DOCS_OPEN: 'true' });
    try {
      const statuses = async (path: string) => (await send(open.baseUrl, { method: 'GET', path })).status;
      expect({ metrics: await statuses('/metrics'), docs: await statuses('/docs-json'), ui: await statuses('/docs/'), stats: await statuses('/v1/stats') }).toEqual({
        metrics: 200,
        docs: 200,
        ui: 200,
        stats: 401,
      });
    } finally {
      await open.app.close();
    }
  });

  it('documents every secured operation with its key', async () => {
    const stats = running.find((service) => service.name === 'stats') as RunningService;
    const docs = (await send(stats.baseUrl, { method: 'GET', path: '/docs-json', headers: { 'x-api-key': KEYS.read } })).json as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const unsecured = Object.entries(docs.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => !path.startsWith('/health') && !operation.security?.length)
        .map(([method]) => `${method} ${path}`),
    );
    expect(unsecured).toEqual([]);
  });
});
