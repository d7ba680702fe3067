import type { INestApplication } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { runCli } from '../../apps/cli/src/cli';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { startStats } from '../stats/support/stats-service';
import { StoryPublisher } from '../stats/support/story-topics';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const READER = 'reader-key-0001';

/** failure-stats and watch against a stats service with API_KEYS: they send the key (the event stream too), and say so when it is missing. */
describe('workpipe failure-stats and watch with API keys', () => {
  const env = new TestEnv('cli-keys');
  let admin: Admin;
  let publisher: StoryPublisher;
  let stats: INestApplication;
  let statsUrl: string;

  const cli = async (env: Record<string, string>, ...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(['--stats-url', statsUrl, ...argv], {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text), isTTY: false },
      env,
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    admin = env.kafka().admin();
    await admin.connect();
    const config = env.config('stats');
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']));
    publisher = new StoryPublisher(env.kafka(), new RegistrySerde(config.schemaRegistry), env.topicPrefix);
    await publisher.connect();
    stats = await startStats(env, { ALERT_RULES: 'STUCK_PENDING', API_KEYS: `${READER}:read` });
    statsUrl = `http://127.0.0.1:${(stats.getHttpServer().address() as { port: number }).port}`;
    const now = Date.now();
    await publisher.publish(new ItemStory({ itemId: 'K-1', batchId: 'keyed', createdAtMs: now }).submit().fail('TIMEOUT', now + 1).abandon('MAX_ATTEMPTS', now + 2).events);
    await waitFor(async () => (await cli({ API_KEY: READER }, 'failure-stats')).out.includes('Abandoned:             1'), { description: 'the abandoned item' });
  });

  afterAll(async () => {
    await stats?.close();
    await publisher?.disconnect();
    await admin?.disconnect();
    await env.cleanup();
  });

  it('failure-stats sends the key; without one it exits 4', async () => {
    const ok = await cli({ API_KEY: READER }, 'failure-stats');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('   TIMEOUT: 1\n');
    const missing = await cli({}, 'failure-stats');
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('give one with --api-key or API_KEY');
  });

  it('watch follows the event stream with the key', async () => {
    const { code, out } = await cli({ API_KEY: READER }, 'watch', 'keyed', '--expected', '1');
    expect(out).toBe('Batch keyed: 1 items, 0 succeeded, 1 abandoned (success rate 0.0%)\n');
    expect(code).toBe(1);
  });
});
