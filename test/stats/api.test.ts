import type { INestApplication } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { mixedScenario } from '../../libs/stats-model/src/testing/scenario';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { SseClient } from './support/sse-client';
import { getJson, startStats } from './support/stats-service';
import { StoryPublisher } from './support/story-topics';

interface FailureRow {
  itemId: string;
  batchId: string | null;
  status: string;
  lastFailureType: string;
  attempts: number;
  firstFailureAt: string;
  abandonReason: string | null;
}

describe('stats API', () => {
  const env = new TestEnv('stats-api');
  let admin: Admin;
  let publisher: StoryPublisher;
  let stats: INestApplication;
  let baseUrl: string;
  const HOUR = 3_600_000;
  const t0 = Date.now() - 10 * 60_000;

  beforeAll(async () => {
    const kafka = env.kafka();
    admin = kafka.admin();
    await admin.connect();
    const config = env.config('stats');
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(
      pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']),
    );
    publisher = new StoryPublisher(kafka, new RegistrySerde(config.schemaRegistry), env.topicPrefix);
    await publisher.connect();
    stats = await startStats(env, { STATS_PROGRESS_THROTTLE_MS: '250', ALERT_RULES: 'STUCK_PENDING' });
    const address = stats.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await stats?.close();
    await publisher?.disconnect();
    await admin?.disconnect();
    await env.cleanup();
  });

  describe('GET /v1/failures and /v1/failures.csv', () => {
    beforeAll(async () => {
      const old = t0 - 3 * HOUR;
      const oldRetryable = new ItemStory({ itemId: 'old-retryable', batchId: 'old', createdAtMs: old }).submit().fail('API_ERROR', old + 1_000);
      const oldAbandoned = new ItemStory({ itemId: 'old-abandoned', batchId: 'old', createdAtMs: old + HOUR })
        .submit()
        .fail('TIMEOUT', old + HOUR + 1_000)
        .retry(old + HOUR + 31_000)
        .fail('TIMEOUT', old + HOUR + 32_000, { message: 'timed out after 10000 ms, "twice"' })
        .abandon('MAX_ATTEMPTS', old + HOUR + 33_000);
      await publisher.publish([...mixedScenario('recent', t0).events, ...oldRetryable.events, ...oldAbandoned.events]);
      // Until every event is applied an item can pass through other states (partitions are read
      // concurrently): wait for the final picture, not merely for five rows.
      // Ids and statuses: a failed item shows as retryable until its dead letter (published last) is applied.
      const settled = [
        ['old-retryable', 'retryable'],
        ['old-abandoned', 'abandoned'],
        ['recent-abandoned', 'abandoned'],
        ['recent-twice-abandoned', 'abandoned'],
        ['recent-waiting', 'retryable'],
      ];
      await waitFor(async () => {
        const body = (await getJson(stats, '/v1/failures')) as unknown as { items: FailureRow[] };
        return JSON.stringify(body.items.map((row) => [row.itemId, row.status])) === JSON.stringify(settled);
      }, { timeoutMs: 30_000, description: 'the 5 failures, every event applied' });
    });

    async function failures(query: string): Promise<{ total: number; items: FailureRow[] }> {
      return (await getJson(stats, `/v1/failures${query}`)) as unknown as { total: number; items: FailureRow[] };
    }

    it('lists items failed and waiting for a retry, and abandoned ones, oldest first failure first', async () => {
      const body = await failures('');
      expect(body.total).toBe(5);
      expect(body.items.map((row) => [row.itemId, row.status, row.lastFailureType, row.attempts, row.abandonReason])).toEqual([
        ['old-retryable', 'retryable', 'API_ERROR', 1, null],
        ['old-abandoned', 'abandoned', 'TIMEOUT', 2, 'MAX_ATTEMPTS'],
        // same first failure time: by item id
        ['recent-abandoned', 'abandoned', 'EMPTY_REPORT', 3, 'MAX_ATTEMPTS'],
        ['recent-twice-abandoned', 'abandoned', 'CIRCUIT_OPEN', 2, 'CIRCUIT_OPEN'],
        ['recent-waiting', 'retryable', 'RATE_LIMIT', 2, null],
      ]);
      expect(body.items[0]).toMatchObject({ batchId: 'old', firstFailureAt: new Date(t0 - 3 * HOUR + 1_000).toISOString() });
    });

    it('filters by status, type, age and batch, and pages', async () => {
      expect((await failures('?status=retryable')).items.map((r) => r.itemId)).toEqual(['old-retryable', 'recent-waiting']);
      expect((await failures('?status=abandoned')).total).toBe(3);
      expect((await failures('?type=TIMEOUT')).items.map((r) => r.itemId)).toEqual(['old-abandoned']);
      expect((await failures('?type=RATE_LIMIT&status=abandoned')).total).toBe(0);
      expect((await failures('?olderThanMinutes=60')).items.map((r) => r.itemId)).toEqual(['old-retryable', 'old-abandoned']);
      expect((await failures('?olderThanMinutes=60&status=abandoned')).items.map((r) => r.itemId)).toEqual(['old-abandoned']);
      expect((await failures('?batchId=recent')).total).toBe(3);
      const page = await failures('?limit=2&offset=2');
      expect(page).toMatchObject({ total: 5, offset: 2, limit: 2 });
      expect(page.items.map((r) => r.itemId)).toEqual(['recent-abandoned', 'recent-twice-abandoned']);
    });

    it('filters abandoned items by reason in Redis: exactly those of the reason, by their latest abandonment, paged, with the other filters', async () => {
      const ids = async (query: string) => {
        const page = await failures(query);
        return { total: page.total, items: page.items.map((row) => [row.itemId, row.status, row.abandonReason]) };
      };
      // Every abandoned item, sorted by reason on this side: the reason filter must give each group, no more, no less.
      const abandoned = (await failures('?status=abandoned')).items;
      for (const reason of ['MAX_ATTEMPTS', 'CIRCUIT_OPEN', 'NOT_RETRYABLE']) {
        const expected = abandoned.filter((row) => row.abandonReason === reason).map((row) => [row.itemId, 'abandoned', reason]);
        expect({ reason, ...(await ids(`?reason=${reason}`)) }).toEqual({ reason, total: expected.length, items: expected });
      }
      expect(await ids('?reason=MAX_ATTEMPTS')).toEqual({
        total: 2,
        items: [
          ['old-abandoned', 'abandoned', 'MAX_ATTEMPTS'],
          ['recent-abandoned', 'abandoned', 'MAX_ATTEMPTS'],
        ],
      });
      // Abandoned NOT_RETRYABLE, replayed, abandoned again CIRCUIT_OPEN: only under its latest reason.
      expect(await ids('?reason=CIRCUIT_OPEN')).toEqual({ total: 1, items: [['recent-twice-abandoned', 'abandoned', 'CIRCUIT_OPEN']] });
      expect((await ids('?reason=NOT_RETRYABLE')).total).toBe(0);
      expect((await ids('?reason=MAX_ATTEMPTS&status=abandoned')).total).toBe(2);
      expect((await ids('?reason=MAX_ATTEMPTS&type=TIMEOUT')).items.map((row) => row[0])).toEqual(['old-abandoned']);
      expect((await ids('?reason=MAX_ATTEMPTS&batchId=recent')).items.map((row) => row[0])).toEqual(['recent-abandoned']);
      expect((await ids('?reason=MAX_ATTEMPTS&olderThanMinutes=60')).items.map((row) => row[0])).toEqual(['old-abandoned']);
      expect(await ids('?reason=MAX_ATTEMPTS&limit=1&offset=1')).toEqual({ total: 2, items: [['recent-abandoned', 'abandoned', 'MAX_ATTEMPTS']] });
      const csv = parse((await request(stats.getHttpServer()).get('/v1/failures.csv?reason=MAX_ATTEMPTS').expect(200)).text, { columns: true }) as Record<string, string>[];
      expect(csv.map((row) => [row.itemId, row.abandonReason])).toEqual([
        ['old-abandoned', 'MAX_ATTEMPTS'],
        ['recent-abandoned', 'MAX_ATTEMPTS'],
      ]);
    });

    it('answers 400 naming the parameter at fault', async () => {
      const bad = async (query: string) => (await request(stats.getHttpServer()).get(`/v1/failures${query}`).expect(400)).body as { error: string; message: string };
      expect(await bad('?status=lost')).toMatchObject({ error: 'INVALID_QUERY', message: expect.stringContaining('"status"') });
      expect((await bad('?type=api_error')).message).toContain('query parameter "type": failure type must be UPPER_SNAKE_CASE');
      expect((await bad('?limit=0')).message).toContain('"limit"');
      expect((await bad('?olderThanMinutes=soon')).message).toContain('olderThanMinutes must be a number');
      expect((await bad('?colour=red')).message).toBe('unknown query parameter "colour"');
      expect((await bad('?reason=GAVE_UP')).message).toBe('query parameter "reason": reason must be one of MAX_ATTEMPTS, NOT_RETRYABLE, CIRCUIT_OPEN');
      expect((await bad('?reason=MAX_ATTEMPTS&status=retryable')).message).toContain('a reason selects abandoned items');
      const csv = await request(stats.getHttpServer()).get('/v1/failures.csv?status=nope').expect(400);
      expect(csv.body.error).toBe('INVALID_QUERY');
      const batch = await request(stats.getHttpServer()).get('/v1/batches/has%20space').expect(400);
      expect(batch.body.error).toBe('INVALID_PATH');
      expect((await request(stats.getHttpServer()).get('/v1/stats?minutes=0')).status).toBe(400);
    });

    it('exports the same rows as CSV, filters applied', async () => {
      const response = await request(stats.getHttpServer()).get('/v1/failures.csv?status=abandoned').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toContain('failures.csv');
      const lines = response.text.trim().split('\n');
      expect(lines[0]).toBe('itemId,key,batchId,status,lastFailureType,message,attempts,firstFailureAt,lastFailureAt,abandonReason');
      const rows = parse(response.text, { columns: true }) as Record<string, string>[];
      const json = (await failures('?status=abandoned')).items as unknown as Record<string, unknown>[];
      expect(rows).toEqual(
        json.map((item) => ({
          itemId: item.itemId,
          key: item.key,
          batchId: item.batchId ?? '',
          status: 'abandoned',
          lastFailureType: item.lastFailureType,
          message: item.lastFailureMessage ?? '',
          attempts: String(item.attempts),
          firstFailureAt: item.firstFailureAt,
          lastFailureAt: item.lastFailureAt ?? '',
          abandonReason: item.abandonReason,
        })),
      );
      expect(rows.find((row) => row.itemId === 'old-abandoned')?.message).toBe('timed out after 10000 ms, "twice"');
      const all = await request(stats.getHttpServer()).get('/v1/failures.csv').expect(200);
      expect(all.text.trim().split('\n')).toHaveLength(6);
    });
  });

  describe('GET /v1/batches/:id/events', () => {
    it('streams a snapshot on connect, an update per change, and `complete` when nothing is pending', async () => {
      const client = new SseClient(`${baseUrl}/v1/batches/live/events?expected=10`);
      await waitFor(() => client.events.length >= 1, { description: 'the snapshot on connect' });
      expect(client.status).toBe(200);
      expect(client.contentType).toMatch(/^text\/event-stream/);
      expect(client.named('progress')[0]).toMatchObject({ batchId: 'live', known: false, items: { submitted: 0 }, expected: 10, complete: false });

      const stories = Array.from({ length: 10 }, (_, i) => new ItemStory({ itemId: `live-${i}`, batchId: 'live', createdAtMs: Date.now() }).submit());
      await publisher.publish(stories.flatMap((s) => s.events));
      await waitFor(() => client.named('progress').some((p) => (p as { items: { submitted: number } }).items.submitted === 10), {
        description: 'an update with the 10 items',
      });
      const step = (story: ItemStory, i: number) => {
        const before = story.events.length;
        if (i < 7) story.succeed(Date.now());
        else if (i < 9) story.fail('TIMEOUT', Date.now()).retry(Date.now()).succeed(Date.now());
        else story.fail('AUTHENTICATION', Date.now(), { retryable: false }).abandon('NOT_RETRYABLE', Date.now());
        return story.events.slice(before);
      };
      await publisher.publish(stories.slice(0, 5).flatMap((s, i) => step(s, i)));
      await waitFor(() => client.named('progress').some((p) => (p as { items: { succeeded: number } }).items.succeeded === 5), {
        description: 'an update with 5 succeeded',
      });
      await publisher.publish(stories.slice(5).flatMap((s, i) => step(s, i + 5)));
      await client.ended;

      const complete = client.named('complete');
      expect(complete).toHaveLength(1);
      expect(complete[0]).toMatchObject({
        batchId: 'live',
        known: true,
        complete: true,
        items: { submitted: 10, pending: 0, succeeded: 9, abandoned: 1 },
        rates: { success: 0.9, firstPassSuccess: 0.7 },
      });
      const succeeded = client.named('progress').map((p) => (p as { items: { succeeded: number } }).items.succeeded);
      expect(succeeded).toEqual([...succeeded].sort((a, b) => a - b));
      expect(client.events.at(-1)?.event).toBe('complete');
    });

    it('ends at once with `complete` for a batch already finished', async () => {
      const client = new SseClient(`${baseUrl}/v1/batches/recent/events`);
      await waitFor(() => client.named('complete').length === 0 && client.events.length > 0, { description: 'a snapshot' });
      // batch "recent" still has pending items: no `complete` yet, the stream stays open
      expect(client.named('progress')[0]).toMatchObject({ known: true, complete: false });
      client.close();
      const done = new SseClient(`${baseUrl}/v1/batches/live/events`);
      await done.ended;
      expect(done.events.map((e) => e.event)).toEqual(['progress', 'complete']);
    });
  });

  it('answers every alert rule from the shared state, and /v1/me with authentication off', async () => {
    const alerts = (await getJson(stats, '/v1/alerts')) as { alerts: { rule: string; enabled: boolean; state: string; threshold: number }[] };
    expect(alerts.alerts.map((alert) => [alert.rule, alert.enabled])).toEqual([
      ['LOW_SUCCESS_RATE', false],
      ['ACCUMULATED_FAILURES', false],
      ['STUCK_PENDING', true],
      ['HIGH_ERROR_RATE', false],
    ]);
    expect(alerts.alerts.find((alert) => alert.rule === 'STUCK_PENDING')).toMatchObject({ threshold: 3_600_000, unit: 'ms' });
    // No API_KEYS here: every caller holds every role, and there is no key to name.
    expect(await getJson(stats, '/v1/me')).toEqual({ keysConfigured: false, keyId: null, roles: ['read', 'submit', 'operate'] });
  });

  it('documents the API at /docs and exposes the numbers on /metrics', async () => {
    const docs = await request(stats.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/stats', '/v1/batches/{id}', '/v1/batches/{id}/events', '/v1/failures', '/v1/failures.csv', '/v1/alerts', '/v1/me']),
    );
    const parameters = (docs.body.paths['/v1/failures'].get.parameters as { name: string; schema?: { enum?: string[] } }[]).find((parameter) => parameter.name === 'reason');
    expect(parameters?.schema?.enum).toEqual(['MAX_ATTEMPTS', 'NOT_RETRYABLE', 'CIRCUIT_OPEN']);
    const metrics = (await request(stats.getHttpServer()).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/workpipe_items\{state="abandoned",service="stats"\} 4/);
    expect(metrics).toMatch(/workpipe_failures_total\{type="TIMEOUT",service="stats"\} 5/);
    expect(metrics).toMatch(/workpipe_success_rate\{service="stats"\} 0\.\d+/);
    expect(metrics).toMatch(/workpipe_abandoned_items\{reason="NOT_RETRYABLE",service="stats"\} 1/);
  });
});
