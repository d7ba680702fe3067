import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { runCli } from '../../apps/cli/src/cli';
import { ItemStory } from '../../libs/stats-model/src/testing/item-story';
import { startStats } from '../stats/support/stats-service';
import { StoryPublisher } from '../stats/support/story-topics';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;

/** An output stream that keeps what is written. */
function capture(): { write: (text: string) => boolean; isTTY: false; text: () => string } {
  let written = '';
  return {
    write: (text: string) => {
      written += text;
      return true;
    },
    isTTY: false,
    text: () => written,
  };
}

async function getJson(url: string): Promise<Record<string, any>> {
  return (await (await fetch(url)).json()) as Record<string, any>;
}

describe('workpipe failure-stats and watch against the stats service', () => {
  const env = new TestEnv('cli-stats');
  let admin: Admin;
  let publisher: StoryPublisher;
  let stats: INestApplication;
  let statsUrl: string;
  const now = Date.now();

  /** Starts the CLI; its output can be read while it runs. */
  const startCli = (...argv: string[]) => {
    const stdout = capture();
    const stderr = capture();
    const exit = runCli(['--stats-url', statsUrl, ...argv], { stdout, stderr, env: {} });
    return { exit, stdout, stderr };
  };
  const cli = async (...argv: string[]) => {
    const { exit, stdout, stderr } = startCli(...argv);
    const code = await exit;
    return { code, out: stdout.text(), err: stderr.text() };
  };

  beforeAll(async () => {
    admin = env.kafka().admin();
    await admin.connect();
    const config = env.config('stats');
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(
      pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']),
    );
    publisher = new StoryPublisher(env.kafka(), new RegistrySerde(config.schemaRegistry), env.topicPrefix);
    await publisher.connect();
    stats = await startStats(env, { ALERT_RULES: 'STUCK_PENDING' });
    statsUrl = `http://127.0.0.1:${(stats.getHttpServer().address() as { port: number }).port}`;

    const old = now - 30 * HOUR;
    // Just over an hour before the test: the oldest failure left after --clear-old reads "1.0 hours ago" however fast the test runs.
    const early = now - HOUR - 10_000;
    const stories = [
      new ItemStory({ itemId: 'PF-1-a', batchId: 'b1', createdAtMs: old }).submit().fail('API_ERROR', old + 1000).abandon('MAX_ATTEMPTS', old + 2000),
      new ItemStory({ itemId: 'PF-2-a', batchId: 'b1', createdAtMs: early }).submit().fail('TIMEOUT', early + 1000),
      new ItemStory({ itemId: 'PF-3-a', batchId: 'b1', createdAtMs: early }).submit().fail('API_ERROR', early + 2000),
      new ItemStory({ itemId: 'PF-4-a', batchId: 'b1', createdAtMs: early })
        .submit()
        .fail('EMPTY_REPORT', early + 3000)
        .abandon('MAX_ATTEMPTS', early + 4000),
      new ItemStory({ itemId: 'PF-5-a', batchId: 'b1', createdAtMs: early }).submit().succeed(early + 500),
    ];
    await publisher.publish(stories.flatMap((story) => story.events));
    // A failed item is listed as retryable until its dead letter (published last) is applied: wait for both lists.
    await waitFor(
      async () => (await getJson(`${statsUrl}/v1/failures`)).total === 4 && (await getJson(`${statsUrl}/v1/failures?status=abandoned`)).total === 2,
      { description: '4 failures, 2 of them abandoned' },
    );
  });

  afterAll(async () => {
    await stats?.close();
    await publisher?.disconnect();
    await admin?.disconnect();
    await cleanupWithSubjects(env);
  });

  it('prints totals, the oldest failure and counts by type, and exports the CSV', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'failure-stats-')), 'failures.csv');
    const { code, out } = await cli('failure-stats', '--export-csv', file);
    expect(code).toBe(0);
    expect(out).toContain('Total outstanding:     4');
    expect(out).toContain('Waiting for a retry:   2');
    expect(out).toContain('Abandoned:             2');
    expect(out).toMatch(/Oldest failure:\s+30\.0 hours ago/);
    expect(out).toContain('   API_ERROR: 2\n');
    expect(out).toContain('   TIMEOUT: 1\n');
    expect(out).toContain('   EMPTY_REPORT: 1\n');
    expect(out).toContain(`Report exported: ${file} (4 rows)`);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^PF-1-a,/);
  });

  it('--clear-old hides old abandoned entries from the view, never the Kafka events', async () => {
    const { code, out } = await cli('failure-stats', '--clear-old', '24');
    expect(code).toBe(0);
    expect(out).toContain('Hid 1 abandoned entry');
    expect(out).toContain('Total outstanding:     3');
    expect(out).toContain('Abandoned:             1');
    expect(out).toMatch(/Oldest failure:\s+1\.0 hours ago/);
    const stats = await getJson(`${statsUrl}/v1/stats`);
    expect(stats.items.abandoned).toBe(2); // the counters are facts
    // Hidden under its reason too, not only from the unfiltered view.
    const byReason = await getJson(`${statsUrl}/v1/failures?reason=MAX_ATTEMPTS`);
    expect([byReason.total, byReason.items.map((item: { itemId: string }) => item.itemId)]).toEqual([1, ['PF-4-a']]);
    expect((await getJson(`${statsUrl}/v1/failures?reason=MAX_ATTEMPTS&type=API_ERROR`)).total).toBe(0);
  });

  it('refuses a bad --clear-old and says when the stats service is not there', async () => {
    expect((await cli('failure-stats', '--clear-old', 'soon')).code).toBe(2);
    const stderr = capture();
    const code = await runCli(['--stats-url', 'http://127.0.0.1:9', 'failure-stats'], { stdout: capture(), stderr, env: {} });
    expect(code).toBe(3);
    expect(stderr.text()).toMatch(/stats service at http:\/\/127\.0\.0\.1:9 did not answer/);
  });

  it('watch follows a batch until every item is finished', async () => {
    const start = Date.now();
    const a = new ItemStory({ itemId: 'W-1', batchId: 'watched', createdAtMs: start }).submit();
    const b = new ItemStory({ itemId: 'W-2', batchId: 'watched', createdAtMs: start }).submit();
    await publisher.publish([...a.events, ...b.events]);
    await waitFor(async () => (await getJson(`${statsUrl}/v1/batches/watched`)).items?.pending === 2, { description: 'the batch known with 2 items pending' });
    const watching = startCli('watch', 'watched', '--expected', '2');
    // Its first progress line: the watch is following the batch, with both items still pending.
    await waitFor(() => watching.stderr.text().includes('0/2 done: 0 succeeded, 0 abandoned, 2 pending'), {
      description: 'watch to show both items pending',
    });
    const a2 = new ItemStory({ itemId: 'W-1', batchId: 'watched', createdAtMs: start }).succeed(start + 1000);
    const b2 = new ItemStory({ itemId: 'W-2', batchId: 'watched', createdAtMs: start }).fail('AUTHENTICATION', start + 1000).abandon('MAX_ATTEMPTS', start + 2000);
    await publisher.publish([...a2.events, ...b2.events]);
    const code = await watching.exit;
    const [out, err] = [watching.stdout.text(), watching.stderr.text()];
    expect(out).toBe('Batch watched: 2 items, 1 succeeded, 1 abandoned (success rate 50.0%)\n');
    expect(err).toContain('Watching batch watched');
    expect(code).toBe(1);
  });
});
