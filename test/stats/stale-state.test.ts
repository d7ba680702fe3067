import type { INestApplication } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { getJson, startStats } from './support/stats-service';
import { StoryPublisher } from './support/story-topics';

describe('stats kept in Redis for topics that were recreated', () => {
  const env = new TestEnv('stats-stale');
  let admin: Admin;
  let publisher: StoryPublisher;
  let stats: INestApplication | undefined;

  beforeAll(async () => {
    admin = env.kafka().admin();
    await admin.connect();
    const config = env.config('stats');
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(
      pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']),
    );
    publisher = new StoryPublisher(env.kafka(), new RegistrySerde(config.schemaRegistry), env.topicPrefix);
    await publisher.connect();
  });

  afterAll(async () => {
    await stats?.close();
    await publisher?.disconnect();
    await admin?.disconnect();
    await env.cleanup();
  });

  it('are discarded and rebuilt from the topics as they are, instead of skipping every new event', async () => {
    // Left over from an earlier cluster: offsets far past what these topics hold, and old counters.
    const redis = env.redis();
    await redis.hset(`${env.redisPrefix}stats:offsets`, `${env.topicPrefix}work:0`, '5000', `${env.topicPrefix}work:1`, '5000');
    await redis.hset(`${env.redisPrefix}stats:all:counters`, 'submitted', '777');
    redis.disconnect();

    const now = Date.now();
    const stories = [1, 2, 3].map((n) => new ItemStory({ itemId: `S-${n}`, batchId: 'fresh', createdAtMs: now }).submit().succeed(now + 10));
    await publisher.publish(stories.flatMap((story) => story.events));
    stats = await startStats(env);
    await waitFor(async () => (await getJson(stats as INestApplication, '/v1/stats')).items, { description: 'stats to answer' });
    await waitFor(
      async () => {
        const { items } = (await getJson(stats as INestApplication, '/v1/stats')) as { items: { submitted: number; succeeded: number } };
        return items.submitted === 3 && items.succeeded === 3;
      },
      { timeoutMs: 30_000, description: 'the 3 new items counted, the stale 777 gone' },
    );
  });
});
