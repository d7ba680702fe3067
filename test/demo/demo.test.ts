import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CONFIG_DEFAULTS } from '@workpipe/config';
import { HEADERS, TOPICS, topicName } from '@workpipe/contracts';
import { countRecords } from '../support/record-count';

const ROOT = join(__dirname, '../..');
const PORTFOLIOS = 104;

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run demo` as a new user runs it, not on a terminal (so it stops after its summary). */
function runDemo(timeoutMs: number): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    // The demo runs on the default prefixes, as the README's first command does.
    delete env.TOPIC_PREFIX;
    delete env.REDIS_KEY_PREFIX;
    const child = spawn('npm', ['run', '--silent', 'demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the demo did not end within ${timeoutMs} ms:\n${stderr.slice(-3_000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function figure(summary: string, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(summary);
  if (!match) throw new Error(`the summary has no line matching ${pattern}:\n${summary}`);
  return match;
}

describe('npm run demo (the README first command)', () => {
  let run: DemoRun;

  beforeAll(async () => {
    run = await runDemo(8 * 60_000);
  }, 9 * 60_000);

  it('runs the 104 portfolios end to end and exits 0 with a summary', () => {
    if (run.code !== 0) throw new Error(`the demo exited ${run.code}:\n${run.stderr.slice(-3_000)}`);
    const [, , portfolios] = figure(run.stdout, /RESULT: batch (\S+), (\d+) portfolios/);
    expect(Number(portfolios)).toBe(PORTFOLIOS);
    expect(run.stdout).toMatch(/First-pass success rate\s+[\d.]+%\s+\(\d+\/104 on the first attempt\)/);
    expect(run.stdout).not.toMatch(/Still pending/);
    expect(run.stdout).toMatch(/Goal reached: success rate [\d.]+% >= 90%/);
  });

  it("reports what the topics hold: the summary's succeeded and abandoned are the batch's events", async () => {
    const [, batchId] = figure(run.stdout, /RESULT: batch (\S+),/);
    const [, succeeded] = figure(run.stdout, /Final success rate\s+[\d.]+%\s+\((\d+)\/104\)/);
    const [, abandoned] = figure(run.stdout, /Abandoned\s+(\d+)/);
    expect(Number(succeeded) + Number(abandoned)).toBe(PORTFOLIOS);
    const kafka = new Kafka({ clientId: 'demo-test', brokers: (process.env.KAFKA_BROKERS as string).split(','), logLevel: logLevel.NOTHING });
    const ofBatch = (message: { headers?: Record<string, unknown> }): boolean => String(message.headers?.[HEADERS.batchId] ?? '') === batchId;
    const prefix = CONFIG_DEFAULTS.TOPIC_PREFIX;
    expect(await countRecords(kafka, topicName(prefix, TOPICS.succeeded), 60_000, ofBatch)).toBe(Number(succeeded));
    expect(await countRecords(kafka, topicName(prefix, TOPICS.abandoned), 60_000, ofBatch)).toBe(Number(abandoned));
  }, 150_000);
});
