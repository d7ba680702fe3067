import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { getJson, startStats } from './support/stats-service';
import { StoryTopics } from './support/story-topics';

const SECOND = 1_000;
const METRIC = 'workpipe_time_to_success_seconds';

/** The samples of the time-to-success gauge on a /metrics page, by quantile label. */
function timeToSuccess(page: string): Record<string, number> {
  const samples: Record<string, number> = {};
  for (const [, labels, value] of page.matchAll(new RegExp(`^${METRIC}\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
    const quantile = /quantile="([^"]+)"/.exec(labels as string)?.[1];
    expect(labels).toContain('service="stats"');
    if (quantile) samples[quantile] = Number(value);
  }
  return samples;
}

/**
 * `/metrics` shows "time to success": `workpipe_time_to_success_seconds` with
 * quantiles 0.5, 0.95 and 0.99, the time from an item's submission
 * (`createdAt`) to its success (`completedAt`), nearest rank over every
 * succeeded item. The items are written to the topics with known times, so
 * the expected values are worked out here (n = 20: p50 is the 10th smallest,
 * p95 the 19th, p99 the 20th), then again after 20 more successes.
 */
describe('/metrics: time to success', () => {
  const env = new TestEnv('metrics-tts');
  let topics: StoryTopics | undefined;
  let stats: INestApplication | undefined;

  beforeAll(async () => {
    topics = await StoryTopics.open(env);
    stats = await startStats(env, { ALERT_RULES: 'STUCK_PENDING' });
  });

  afterAll(async () => {
    await stats?.close();
    await topics?.close();
    await env.cleanup();
  });

  const metrics = async () => (await request((stats as INestApplication).getHttpServer()).get('/metrics').expect(200)).text;
  const overall = async () => (await getJson(stats as INestApplication, '/v1/stats')) as { items: { succeeded: number }; timeToSuccessMs: Record<string, number | null> };

  it('gives p50, p95 and p99 of submission-to-success in seconds, exactly, and follows new successes', async () => {
    const page = await metrics();
    expect(page).toContain(`# TYPE ${METRIC} gauge`);
    // Nothing succeeded yet: no quantile is defined, so none is given (rather than a 0).
    expect(timeToSuccess(page)).toEqual({});

    const t0 = Date.now() - 3_600_000;
    // Item i succeeds (i + 1) s after its submission; every fourth one fails and is retried first (the wait counts).
    const first = Array.from({ length: 20 }, (_, i) => {
      const created = t0 + i * 7_000;
      const story = new ItemStory({ itemId: `tts-${i}`, batchId: 'tts', createdAtMs: created }).submit();
      if (i % 4 === 0) story.fail('API_ERROR', created + 100).retry(created + 300);
      return story.succeed(created + (i + 1) * SECOND);
    });
    // Neither counts: one still pending, one abandoned.
    const pending = new ItemStory({ itemId: 'tts-pending', batchId: 'tts', createdAtMs: t0 }).submit();
    const abandoned = new ItemStory({ itemId: 'tts-abandoned', batchId: 'tts', createdAtMs: t0 }).submit().fail('VALIDATION', t0 + 50, { retryable: false }).abandon('NOT_RETRYABLE', t0 + 60);
    await (topics as StoryTopics).publisher.publish([...first, pending, abandoned].flatMap((story) => story.events));

    await waitFor(async () => (await overall()).items.succeeded === 20, { timeoutMs: 30_000, description: '20 successes applied' });
    const firstValues = await waitFor(
      async () => {
        const samples = timeToSuccess(await metrics());
        return samples['0.99'] === 20 && samples;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the gauge to show the 20 successes' },
    );
    expect(firstValues).toEqual({ '0.5': 10, '0.95': 19, '0.99': 20 });
    expect((await overall()).timeToSuccessMs).toEqual({ count: 20, p50: 10_000, p95: 19_000, p99: 20_000 });

    // 20 more, 101 s to 120 s: n = 40, p50 the 20th smallest (20 s), p95 the 38th (118 s), p99 the 40th (120 s).
    const more = Array.from({ length: 20 }, (_, i) => {
      const created = t0 + 600_000 + i * 7_000;
      return new ItemStory({ itemId: `tts-late-${i}`, batchId: 'tts', createdAtMs: created }).submit().succeed(created + (101 + i) * SECOND);
    });
    await (topics as StoryTopics).publisher.publish(more.flatMap((story) => story.events));
    await waitFor(async () => (await overall()).items.succeeded === 40, { timeoutMs: 30_000, description: '40 successes applied' });
    const next = await waitFor(
      async () => {
        const samples = timeToSuccess(await metrics());
        return samples['0.99'] === 120 && samples;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the gauge to show the 40 successes' },
    );
    expect(next).toEqual({ '0.5': 20, '0.95': 118, '0.99': 120 });
    expect((await overall()).timeToSuccessMs).toEqual({ count: 40, p50: 20_000, p95: 118_000, p99: 120_000 });
  });
});
