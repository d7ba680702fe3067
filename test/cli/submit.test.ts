import type { INestApplication } from '@nestjs/common';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { createService } from '@workpipe/runtime';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { runCli } from '../../apps/cli/src/cli';
import { TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { countRecords } from '../support/record-count';

/** Runs `workpipe` in-process, capturing what it prints. */
async function workpipe(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
  });
  return { exitCode, stdout, stderr };
}

/** Every message of the test's work topic, decoded, read from the beginning. */
async function readWorkTopic(env: TestEnv, expected: number): Promise<{ key: string; value: WorkItem.Value }[]> {
  const topic = topicName(env.topicPrefix, TOPICS.work);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  const messages: { key: string; value: WorkItem.Value }[] = [];
  const consumer = env.kafka().consumer({ groupId: `${env.id}-verify-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push({ key: message.key?.toString() ?? '', value: await serde.decode(message.value as Buffer, WorkItem) });
      },
    });
    await waitFor(() => messages.length >= expected, { timeoutMs: 60_000, description: `${expected} work items` });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** Work items in the topic, counted exactly (see {@link countRecords}). */
const messageCount = (env: TestEnv): Promise<number> => countRecords(env.kafka(), topicName(env.topicPrefix, TOPICS.work));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workpipe-cli-it-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('workpipe submit against the ingestor', () => {
  const env = new TestEnv('cli-submit');
  let app: INestApplication;
  let ingestorUrl: string;

  beforeAll(async () => {
    app = await createService(INGESTOR, env.config('ingestor'));
    await app.listen(0, '127.0.0.1');
    ingestorUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await env.cleanup();
  });

  // 120 data rows on lines 2-121: 117 distinct valid items, a row with a field
  // short (line 31), a row with an invalid key (line 62), and a copy of line 11 on
  // line 81 (another batch of 50, so the ingestor already has it).
  const BAD_FIELDS_LINE = 31;
  const BAD_KEY_LINE = 62;
  const DUPLICATE_LINE = 81;
  const rows: string[] = [];
  const validKeys: string[] = [];
  for (let line = 2; line <= 121; line += 1) {
    if (line === BAD_FIELDS_LINE) rows.push('PF-BAD,portfolio-report');
    else if (line === BAD_KEY_LINE) rows.push('PF 062,portfolio-report,Bad key,eu');
    else if (line === DUPLICATE_LINE) rows.push(rows[11 - 2] as string);
    else {
      const key = `PF-${String(line).padStart(4, '0')}`;
      validKeys.push(key);
      rows.push(`${key},portfolio-report,"Portfolio ${line}, Ltd",${line % 2 === 0 ? 'eu' : 'us'}`);
    }
  }
  const csv = ['key,type,name,region', ...rows].join('\n') + '\n';
  const batchId = `it-${env.id}`;

  it('accepts the valid rows, reports bad and duplicate rows by line, and publishes exactly the accepted items', async () => {
    const path = join(dir, 'portfolios.csv');
    const rejectedOut = join(dir, 'rejected.csv');
    await writeFile(path, csv);

    const run = await workpipe([
      'submit',
      path,
      '--ingestor-url',
      ingestorUrl,
      '--batch-id',
      batchId,
      '--batch-size',
      '50',
      '--rejected-out',
      rejectedOut,
    ]);

    expect(run.stderr).toContain('batch 1 (lines 2-52): 50 sent, 50 accepted, 1 rejected, 0 duplicates');
    expect(run.stderr).toContain('batch 2 (lines 53-102): 50 sent, 48 accepted, 1 rejected, 1 duplicates');
    expect(run.stdout).toMatch(/120 lines read, 119 items sent in 3 requests\n +accepted +117\n +rejected +2\n +duplicates +1\n/);
    expect(run.stdout).toContain(`line ${BAD_FIELDS_LINE}: expected 4 fields as in the header, got 2`);
    expect(run.stdout).toMatch(new RegExp(`line ${BAD_KEY_LINE}: key: must start with a letter or digit`));
    expect(run.exitCode).toBe(1);
    const rejected = (await readFile(rejectedOut, 'utf8')).trim().split('\n');
    expect(rejected.map((row) => row.split(',')[0])).toEqual(['line', String(BAD_FIELDS_LINE), String(BAD_KEY_LINE)]);

    const messages = await readWorkTopic(env, validKeys.length);
    expect(await messageCount(env)).toBe(117);
    expect(messages.map((message) => message.value.key).sort()).toEqual([...validKeys].sort());
    for (const { key, value } of messages) {
      expect(key).toBe(value.key);
      expect(value).toMatchObject({ type: 'portfolio-report', batchId, attempt: 1 });
      const line = Number(value.key.slice(3));
      expect(value.payload).toEqual({ name: `Portfolio ${line}, Ltd`, region: line % 2 === 0 ? 'eu' : 'us' });
    }
  });

  it('re-running the same file publishes nothing new: every valid row comes back as a duplicate', async () => {
    const path = join(dir, 'portfolios.csv');
    const run = await workpipe(['submit', path, '--batch-id', batchId], { INGESTOR_URL: ingestorUrl });
    expect(run.stdout).toMatch(/accepted +0\n +rejected +2\n +duplicates +118\n/);
    expect(run.exitCode).toBe(1);
    expect(await messageCount(env)).toBe(117);
  });
});

describe('workpipe submit to an ingestor with API keys', () => {
  const env = new TestEnv('cli-auth');
  let app: INestApplication;
  let ingestorUrl: string;
  let path: string;

  beforeAll(async () => {
    app = await createService(INGESTOR, env.config('ingestor', { API_KEYS: 'secret-key-1' }));
    await app.listen(0, '127.0.0.1');
    ingestorUrl = await app.getUrl();
    path = join(dir, 'auth.jsonl');
    await writeFile(path, '{"key":"PF-1","type":"portfolio-report"}\n{"key":"PF-2","type":"portfolio-report"}\n');
  });

  afterAll(async () => {
    await app?.close();
    await env.cleanup();
  });

  it('exits 4 with a wrong key, never printing it, and nothing reaches Kafka', async () => {
    const run = await workpipe(['submit', path, '--ingestor-url', ingestorUrl, '--api-key', 'not-the-secret']);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('the ingestor refused the API key (the API key is not valid)');
    expect(run.stdout + run.stderr).not.toContain('not-the-secret');
    expect(await messageCount(env)).toBe(0);
  });

  it('exits 4 without a key, saying how to give one', async () => {
    const run = await workpipe(['submit', path, '--ingestor-url', ingestorUrl]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('the ingestor requires an API key');
    expect(await messageCount(env)).toBe(0);
  });

  it('submits with the right key from API_KEY', async () => {
    const run = await workpipe(['submit', path, '--ingestor-url', ingestorUrl], { API_KEY: 'secret-key-1' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/accepted +2\n/);
    expect(await messageCount(env)).toBe(2);
  });
});
