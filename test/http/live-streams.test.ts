import { TopicProvisioner, pipelineTopics, RegistrySerde } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { STATS } from '../../apps/stats/src/stats.service-definition';
import { StoryPublisher } from '../stats/support/story-topics';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { KEYS, startService, type RunningService } from './support/http-services';
import { send } from './support/raw-http';
import { SseStream } from './support/sse-stream';

describe('live-progress streams are bounded', () => {
  const env = new TestEnv('http-sse');
  let publisher: StoryPublisher;
  /** Small caps, long waits: streams stay open while the caps are counted. */
  let capped: RunningService;
  /** Short waits: unknown and idle streams end quickly. */
  let brief: RunningService;
  const open: SseStream[] = [];
  const stream = (service: RunningService, path: string, key: string, headers: Record<string, string> = {}): SseStream => {
    const client = new SseStream(`${service.baseUrl}${path}`, { 'x-api-key': key, ...headers });
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    const config = env.config('stats');
    const admin = env.kafka().admin();
    await admin.connect();
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(
      pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']),
    );
    await admin.disconnect();
    publisher = new StoryPublisher(env.kafka(), new RegistrySerde(config.schemaRegistry), env.topicPrefix);
    await publisher.connect();
    // One item submitted and never finished: a known batch whose stream does not complete.
    await publisher.publish(new ItemStory({ itemId: 'sse-1', batchId: 'known', createdAtMs: Date.now() }).submit().events);
    capped = await startService(env, STATS, { SSE_MAX_STREAMS: '3', SSE_MAX_STREAMS_PER_KEY: '2' });
    brief = await startService(env, STATS, { SSE_UNKNOWN_BATCH_WAIT_MS: '1000', SSE_IDLE_TIMEOUT_MS: '1500' });
    await waitFor(async () => (await send(capped.baseUrl, { method: 'GET', path: '/v1/batches/known', headers: { 'x-api-key': KEYS.read } })).status === 200, {
      description: 'the known batch materialized',
    });
  });

  afterAll(async () => {
    for (const client of open) client.close();
    await capped?.app.close();
    await brief?.app.close();
    await publisher?.disconnect();
    await env.cleanup();
  });

  it('answers 404 for a batch never seen, instead of an endless stream', async () => {
    const answer = await send(capped.baseUrl, { method: 'GET', path: '/v1/batches/never-seen/events', headers: { 'x-api-key': KEYS.read } });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: 'BATCH_NOT_FOUND', message: expect.stringContaining('?expected=') });
  });

  it('waits a while for a batch announced with ?expected=, then ends with `not-found`; a reconnect gets 404', async () => {
    const waiting = stream(brief, '/v1/batches/announced/events?expected=5', KEYS.read);
    await waiting.ended;
    expect(waiting.status).toBe(200);
    expect(waiting.names()).toEqual(['progress', 'not-found']);
    expect(JSON.parse(waiting.events[0]?.data ?? '{}')).toMatchObject({ known: false, expected: 5 });
    const again = stream(brief, '/v1/batches/announced/events?expected=5', KEYS.read, { 'last-event-id': '2' });
    await again.ended;
    expect([again.status, JSON.parse(again.text).error]).toEqual([404, 'BATCH_NOT_FOUND']);
  });

  it('ends a stream whose numbers do not change with `idle`', async () => {
    const quiet = stream(brief, '/v1/batches/known/events', KEYS.read);
    await quiet.ended;
    expect(quiet.names()).toEqual(['progress', 'idle']);
  });

  it('caps the streams per key and per instance with a JSON 429, and frees a slot when a stream closes', async () => {
    const first = stream(capped, '/v1/batches/known/events', KEYS.read);
    const second = stream(capped, '/v1/batches/known/events', KEYS.read);
    await waitFor(() => first.events.length > 0 && second.events.length > 0, { description: 'two streams open' });
    const third = await send(capped.baseUrl, { method: 'GET', path: '/v1/batches/known/events', headers: { 'x-api-key': KEYS.read } });
    expect([third.status, third.json?.error, third.headers['retry-after']]).toEqual([429, 'TOO_MANY_STREAMS', '30']);
    expect(third.json?.message).toContain('SSE_MAX_STREAMS_PER_KEY');

    const otherKey = stream(capped, '/v1/batches/known/events', KEYS.all);
    await waitFor(() => otherKey.events.length > 0, { description: 'a stream of another key' });
    const full = await send(capped.baseUrl, { method: 'GET', path: '/v1/batches/known/events', headers: { 'x-api-key': KEYS.all } });
    expect([full.status, full.json?.error]).toEqual([429, 'TOO_MANY_STREAMS']);
    expect(full.json?.message).toContain('SSE_MAX_STREAMS)');

    first.close();
    const after = await waitFor(
      async () => {
        const next = stream(capped, '/v1/batches/known/events', KEYS.read);
        await waitFor(() => next.status !== undefined, { description: 'an answer' });
        return next.status === 200 ? next : (next.close(), false);
      },
      { timeoutMs: 10_000, description: 'the freed slot taken again' },
    );
    expect(after.status).toBe(200);
  });
});
