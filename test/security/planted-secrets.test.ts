import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileServices, removeCompiled, type CompiledServices } from '../../tools/services/compiled-service';
import { freePort, startServiceProcess, stopService, waitReady, type ServiceProcess } from '../../tools/services/service-process';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { RecordingDownstream } from './support/recording-downstream';
import { everyRedisValue, everyTopicRecord } from './support/stored-text';

const ROOT = join(__dirname, '../..');
const APPS = ['ingestor', 'processor', 'retrier', 'stats'] as const;
/** Every planted secret holds this word; nothing else of the test does (ids, batch, types avoid it). */
const MARK = /PLANTED/i;

const KEYS = { read: 'reader-PLANTEDKEY01', submit: 'loader-PLANTEDKEY02', operate: 'admin-PLANTEDKEY03', wrong: 'wrong-PLANTEDKEY04' };
const API_KEYS = `${KEYS.read}:read,${KEYS.submit}:submit,${KEYS.operate}:operate+read`;

/** Where in a text the mark is, with some context, for a failure message that says what leaked. */
function leaks(source: string, text: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(MARK.source, 'gi');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    found.push(`${source}: ...${text.slice(Math.max(0, match.index - 120), match.index + 60)}...`);
  }
  return found;
}

/**
 * Secrets planted where the issue found them leaking (a signed URL's query, a URL's userinfo, a
 * header template, the body of a downstream's error quoting them, the alert webhook's URL, the API
 * keys, a malformed JSON setting) with the four services running as real processes on the real
 * stack: not one appears in an HTTP answer, a log line, a record of any topic or a Redis value.
 */
describe('planted secrets', () => {
  let build: CompiledServices;
  const env = new TestEnv('secrets');
  const downstream = new RecordingDownstream();
  const webhook = new RecordingDownstream();
  const services: ServiceProcess[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    build = compileServices(ROOT, APPS, `secrets-${randomBytes(3).toString('hex')}`);
    await downstream.start();
    await webhook.start();
  }, 180_000);

  afterAll(async () => {
    for (const service of services) await stopService(service);
    await downstream.stop();
    await webhook.stop();
    await env.cleanup();
    if (build) removeCompiled(build);
  }, 120_000);

  function launch(app: (typeof APPS)[number], port: number, settings: Record<string, string>): ServiceProcess {
    const service = startServiceProcess({
      name: app,
      entry: build.entries[app] as string,
      nodeArgs: ['-r', build.preload],
      port,
      env: { TOPIC_PREFIX: env.topicPrefix, REDIS_KEY_PREFIX: env.redisPrefix, TOPIC_PARTITIONS: '3', LOG_LEVEL: 'debug', ...settings },
      logFile: join(tmpdir(), `workpipe-test-${env.id}-${app}-${port}.log`),
    });
    services.push(service);
    return service;
  }

  async function answer(service: ServiceProcess, path: string, init: RequestInit & { key?: string } = {}): Promise<{ status: number; text: string }> {
    const headers = new Headers(init.headers);
    if (init.key) headers.set('x-api-key', init.key);
    if (init.body) headers.set('content-type', 'application/json');
    const response = await fetch(`${service.url}${path}`, { ...init, headers });
    const text = await response.text();
    answers.push(`${init.method ?? 'GET'} ${service.name}${path} -> ${response.status} ${JSON.stringify(Object.fromEntries(response.headers))} ${text}`);
    return { status: response.status, text };
  }

  it('appear in no answer, log line, topic record or Redis value while the pipeline fails, retries, abandons and alerts', async () => {
    const closedPort = await freePort();
    const workTypes = {
      leaky: {
        handler: 'http',
        url: `${downstream.url}/t/{id}?mode={mode}&sig=PLANTED-query-sig&date={date}`,
        headers: { Authorization: 'Bearer PLANTED-auth-token', 'X-Signature': 'sig PLANTED-header-template {suffix}' },
        timeoutMs: 2_000,
      },
      unreachable: { handler: 'http', url: `http://127.0.0.1:${closedPort}/c/{id}?token=PLANTED-closed-token`, timeoutMs: 2_000 },
    };
    const shared = {
      API_KEYS,
      WORK_TYPES: JSON.stringify(workTypes),
      RETRY_POLICY: JSON.stringify({ API_ERROR: { maxAttempts: 2, baseDelayMs: 1_000 } }),
    };
    const ports = await Promise.all(APPS.map(() => freePort()));
    const [ingestor, processor, retrier, stats] = APPS.map((app, index) =>
      launch(app, ports[index] as number, {
        ...shared,
        ...(app === 'stats'
          ? {
              ALERT_RULES: 'LOW_SUCCESS_RATE',
              ALERT_SUCCESS_RATE_MIN_FINISHED: '3',
              ALERT_EVALUATION_INTERVAL_MS: '200',
              ALERT_MIN_ACTIVE_MS: '0',
              ALERT_WEBHOOK_URL: webhook.url.replace('//', '//alerts:PLANTED-webhook-password@') + '/hook?token=PLANTED-webhook-token',
              ALERT_WEBHOOK_RETRIES: '1',
            }
          : {}),
      }),
    ) as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
    await Promise.all([ingestor, processor, retrier, stats].map((service) => waitReady(service, 90_000)));
    webhook.status = 503;

    const item = (id: string, type: string, payload: Record<string, string>) => ({ itemId: id, key: id, type, payload: { date: '2026-11-20', suffix: 'ok', ...payload } });
    const items = [
      item('echo-500', 'leaky', { id: 'e5', mode: 'echo500' }),
      item('echo-403', 'leaky', { id: 'e4', mode: 'echo403' }),
      item('bad-header', 'leaky', { id: 'bh', mode: 'ok', suffix: 'x\r\nX-Injected: 1' }),
      item('dot-dot', 'leaky', { id: '..', mode: 'dotdot' }),
      item('dot', 'leaky', { id: '.', mode: 'dot' }),
      item('slashes', 'leaky', { id: '../../r', mode: 'echo500' }),
      item('unreachable', 'unreachable', { id: 'u1' }),
    ];
    expect((await answer(ingestor, '/v1/batches', { method: 'POST', key: KEYS.wrong, body: JSON.stringify({ batchId: 'leak', items }) })).status).toBe(401);
    expect((await answer(ingestor, '/v1/batches', { method: 'POST', key: KEYS.read, body: JSON.stringify({ batchId: 'leak', items }) })).status).toBe(403);
    expect((await answer(ingestor, '/v1/batches', { method: 'POST', key: KEYS.submit, body: JSON.stringify({ batchId: 'leak', items }) })).status).toBe(202);

    await waitFor(
      async () => {
        const batch = await answer(stats, '/v1/batches/leak', { key: KEYS.read });
        return batch.status === 200 && (JSON.parse(batch.text) as { items: { abandoned: number } }).items.abandoned === items.length;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'every item abandoned' },
    );
    await waitFor(() => webhook.requests.length >= 2, { timeoutMs: 30_000, description: 'the alert posted to the webhook, and retried' });

    // The places where the secrets were seen leaking before, each read by whoever may read it.
    const failures = JSON.parse((await answer(stats, '/v1/failures?batchId=leak&status=abandoned', { key: KEYS.read })).text) as {
      items: { itemId: string; lastFailureType: string; lastError?: string }[];
    };
    expect(Object.fromEntries(failures.items.map((row) => [row.itemId, row.lastFailureType]))).toEqual({
      'echo-500': 'API_ERROR',
      'echo-403': 'AUTHENTICATION',
      'bad-header': 'VALIDATION',
      'dot-dot': 'VALIDATION',
      dot: 'VALIDATION',
      slashes: 'API_ERROR',
      unreachable: 'API_ERROR',
    });
    await answer(stats, '/v1/failures.csv?batchId=leak', { key: KEYS.read });
    await answer(stats, '/v1/stats', { key: KEYS.read });
    for (const id of items.map((entry) => entry.itemId)) await answer(stats, `/v1/items/${id}`, { key: KEYS.read });
    for (const service of [ingestor, processor, retrier, stats]) {
      await answer(service, '/metrics', { key: KEYS.read });
      await answer(service, '/health');
      await answer(service, '/docs-json', { key: KEYS.read });
      await answer(service, '/v1/stats', { key: KEYS.wrong });
    }

    // The downstream saw what it was configured to see, and nothing left the template's path.
    expect(downstream.requests.length).toBeGreaterThan(0);
    expect(downstream.requests.filter((request) => !request.path.startsWith('/t/'))).toEqual([]);
    expect(downstream.requests.filter((request) => /mode=(dotdot|dot)\b/.test(request.url))).toEqual([]);
    expect(downstream.requests.map((request) => request.path)).toContain('/t/..%2F..%2Fr');
    expect(downstream.requests.some((request) => request.headers['x-injected'] !== undefined)).toBe(false);
    // The downstream's error bodies really quoted the secrets, so their absence below means something.
    expect(downstream.answered.some((body) => MARK.test(body))).toBe(true);
    // The webhook got the alert with basic authentication from the URL's userinfo, and its query.
    expect(webhook.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('alerts:PLANTED-webhook-password').toString('base64')}`);
    expect(webhook.requests[0]?.url).toContain('token=PLANTED-webhook-token');

    for (const service of [ingestor, processor, retrier, stats]) await stopService(service);
    const logs = [ingestor, processor, retrier, stats].map((service) => ({ name: service.name, text: readFileSync(service.logFile, 'utf8') }));
    // The paths that carry the secrets ran: each failure and the webhook's was logged.
    expect(logs.find((log) => log.name === 'stats')?.text).toContain('alert webhook unreachable');
    expect(logs.find((log) => log.name === 'processor')?.text).toMatch(/"itemId":"echo-500"/);

    const found = [
      ...answers.flatMap((text, index) => leaks(`answer ${index}`, text)),
      ...logs.flatMap((log) => leaks(`${log.name} log`, log.text)),
      ...(await everyTopicRecord(env)).flatMap((record) => leaks(`${record.topic} ${record.partition}@${record.offset}`, record.text)),
      ...(await everyRedisValue(env)).flatMap((entry) => leaks(`redis ${entry.key}`, entry.text)),
    ];
    expect(found).toEqual([]);
  }, 300_000);

  it.each([
    ['a malformed JSON setting', 'processor', { WORK_TYPES: '{"leaky": {"handler": "http", "url": "PLANTED-malformed' }, /WORK_TYPES: not valid JSON \(at position \d+\)/],
    ['a malformed retry policy', 'retrier', { RETRY_POLICY: '{"API_ERROR": {"maxAttempts": PLANTED}}' }, /RETRY_POLICY: not valid JSON \(at position \d+\)/],
    ['credentials in a URL template', 'processor', { WORK_TYPES: JSON.stringify({ leaky: { handler: 'http', url: 'http://user:PLANTED-userinfo@127.0.0.1/x/{id}' } }) }, /WORK_TYPES|leaky/],
    ['an API key too short', 'ingestor', { API_KEYS: 'PLANTED' }, /API_KEYS/],
  ] as const)('stop a service at start-up on %s, naming the setting, never its value', async (_what, app, settings, named) => {
    const service = launch(app, await freePort(), settings);
    await waitFor(() => service.process.exitCode !== null, { timeoutMs: 60_000, description: `${app} refusing to start` });
    expect(service.process.exitCode).not.toBe(0);
    const log = readFileSync(service.logFile, 'utf8');
    expect(log).toMatch(named);
    expect(leaks(`${app} log`, log)).toEqual([]);
  }, 90_000);
});
