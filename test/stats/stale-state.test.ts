import type { INestApplication } from '@nestjs/common';
import { ItemStory, type StoryEvent } from '../../libs/stats-model/src/testing/item-story';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { getJson, startStats } from './support/stats-service';
import { StoryTopics } from './support/story-topics';

interface StatsBench {
  env: TestEnv;
  publish(events: readonly StoryEvent[]): Promise<void>;
  /** Starts the stats service on this env (closed after the describe, or by `stop`). */
  start(settings?: Record<string, string>): Promise<INestApplication>;
  stop(): Promise<void>;
}

/** Inside a describe: this test's env and topics, and the stats instance it starts, all gone after. */
function useStatsBench(name: string): StatsBench {
  const env = new TestEnv(name);
  let topics: StoryTopics | undefined;
  let stats: INestApplication | undefined;
  beforeAll(async () => {
    topics = await StoryTopics.open(env);
  });
  afterAll(async () => {
    await stats?.close();
    await topics?.close();
    await env.cleanup();
  });
  return {
    env,
    publish: (events: readonly StoryEvent[]): Promise<void> => (topics as StoryTopics).publisher.publish(events),
    start: async (settings: Record<string, string> = {}): Promise<INestApplication> => (stats = await startStats(env, settings)),
    stop: async (): Promise<void> => {
      await stats?.close();
      stats = undefined;
    },
  };
}

describe('stats kept in Redis for topics that were recreated', () => {
  const bench = useStatsBench('stats-stale');
  const env = bench.env;

  it('are discarded and rebuilt from the topics as they are, instead of skipping every new event', async () => {
    // Left over from an earlier cluster: offsets far past what these topics hold, and old counters.
    const redis = env.redis();
    await redis.hset(`${env.redisPrefix}stats:offsets`, `${env.topicPrefix}work:0`, '5000', `${env.topicPrefix}work:1`, '5000');
    await redis.hset(`${env.redisPrefix}stats:all:counters`, 'submitted', '777');
    redis.disconnect();

    const now = Date.now();
    const stories = [1, 2, 3].map((n) => new ItemStory({ itemId: `S-${n}`, batchId: 'fresh', createdAtMs: now }).submit().succeed(now + 10));
    await bench.publish(stories.flatMap((story) => story.events));
    const stats = await bench.start();
    await waitFor(async () => (await getJson(stats, '/v1/stats')).items, { description: 'stats to answer' });
    await waitFor(
      async () => {
        const { items } = (await getJson(stats, '/v1/stats')) as { items: { submitted: number; succeeded: number } };
        return items.submitted === 3 && items.succeeded === 3;
      },
      { timeoutMs: 30_000, description: 'the 3 new items counted, the stale 777 gone' },
    );
  });
});

describe('stats kept in Redis under an older layout', () => {
  const bench = useStatsBench('stats-layout');
  const env = bench.env;

  const reasonTotal = async (app: INestApplication): Promise<number> => ((await getJson(app, '/v1/failures?reason=MAX_ATTEMPTS')) as { total: number }).total;

  it('are rebuilt from the topics (so the reason index exists), keeping the alert states', async () => {
    const now = Date.now();
    const stories = [1, 2, 3].map((n) => {
      const story = new ItemStory({ itemId: `L-${n}`, batchId: 'layout', createdAtMs: now }).submit();
      return n === 3 ? story.fail('TIMEOUT', now + 5).abandon('MAX_ATTEMPTS', now + 10) : story.succeed(now + 10);
    });
    await bench.publish(stories.flatMap((story) => story.events));
    const settings = { ALERT_RULES: 'STUCK_PENDING' };
    let stats = await bench.start(settings);
    await waitFor(async () => (await reasonTotal(stats)) === 1, { timeoutMs: 30_000, description: 'the abandoned item under its reason' });
    await bench.stop();

    // What the version before the reason indexes left: no layout key and no reason sets, with a raised alert.
    const redis = env.redis();
    const base = `${env.redisPrefix}stats:`;
    await redis.del(`${base}layout`, `${base}all:z:fail:abandoned:reason:MAX_ATTEMPTS`, `${base}all:z:fail:abandoned:reason:MAX_ATTEMPTS:TIMEOUT`);
    await redis.hincrby(`${base}all:counters`, 'submitted', 100);
    const alert = { status: 'raised', incidentId: `LOW_SUCCESS_RATE-${now}`, raisedAtMs: now, changedAtMs: now, version: 1 };
    await redis.hset(`${base}alerts`, 'LOW_SUCCESS_RATE', JSON.stringify(alert));

    stats = await bench.start(settings);
    await waitFor(
      async () => {
        const { items } = (await getJson(stats, '/v1/stats')) as { items: { submitted: number } };
        return items.submitted === 3 && (await reasonTotal(stats)) === 1;
      },
      { timeoutMs: 30_000, description: 'the 3 items counted again from the topics, the abandoned one under its reason' },
    );
    expect(await redis.get(`${base}layout`)).toBe('2');
    redis.disconnect();
    const alerts = (await getJson(stats, '/v1/alerts')) as { alerts: { rule: string; state: string; incidentId: string | null }[] };
    expect(alerts.alerts.find((entry) => entry.rule === 'LOW_SUCCESS_RATE')).toMatchObject({ state: 'raised', incidentId: alert.incidentId });
  });
});
