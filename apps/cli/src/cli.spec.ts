import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';
import type { CliIo } from './cli-io';
import { fakeIngestor } from './testing/fake-ingestor';
import { acceptAll, scriptedFetch, type ScriptedAnswer } from './testing/scripted-fetch';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workpipe-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Runs the CLI in-process against a scripted fetch, capturing everything it prints. */
async function run(argv: string[], script: ScriptedAnswer[] = [acceptAll], overrides: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const fetch = scriptedFetch(...script);
  const sleeps: number[] = [];
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => Date.parse('2025-03-14T09:15:02Z'),
    random: () => 0.25,
    ...overrides,
  });
  return { exitCode, stdout, stderr, requests: fetch.requests, sleeps };
}

const CSV = [
  'key,type,name', // 1
  'PF-1,report,Alpha', // 2
  'PF-2,report', // 3: a field short, never sent
  'PF 3,report,Gamma', // 4: invalid key, rejected by the ingestor
  'PF-1,report,Alpha', // 5: duplicate of line 2
  'PF-4,,Delta', // 6: type from --type
  'PF-5,report,Epsilon', // 7
].join('\n');

describe('workpipe (help and usage)', () => {
  it('explains every command, global option and exit code with --help (exit 0)', async () => {
    const { exitCode, stdout } = await run(['--help']);
    expect(exitCode).toBe(0);
    for (const text of ['submit', '--ingestor-url', 'INGESTOR_URL', '--api-key', 'API_KEY', 'Exit codes', '3  stopped early']) {
      expect(stdout).toContain(text);
    }
  });

  it('explains every option of submit', async () => {
    const { exitCode, stdout } = await run(['submit', '--help']);
    expect(exitCode).toBe(0);
    for (const flag of ['--format', '--type', '--key-column', '--batch-id', '--batch-size', '--rejected-out', '--max-attempts', '--request-timeout']) {
      expect(stdout).toMatch(new RegExp(`${flag} <\\w+>\\s+\\S`));
    }
    expect(stdout).toContain('Examples:');
  });

  it.each<[string, string[], RegExp]>([
    ['no command', [], /Usage: workpipe/],
    ['an unknown command', ['sumbit'], /unknown command 'sumbit'/],
    ['no file', ['submit'], /missing required argument 'file'/],
    ['an unknown option', ['submit', 'x.csv', '--batchsize', '5'], /unknown option '--batchsize'/],
    ['a batch size over 1000', ['submit', 'x.csv', '--batch-size', '1001'], /--batch-size must be an integer from 1 to 1000, got "1001"/],
    ['a batch size that is no number', ['submit', 'x.csv', '--batch-size', 'ten'], /--batch-size must be an integer/],
    ['an unknown format', ['submit', 'x.csv', '--format', 'xml'], /--format must be one of csv, jsonl, got "xml"/],
    ['an unknown extension', ['submit', 'x.txt'], /cannot tell the format of "x.txt".*--format/],
    ['an invalid --type', ['submit', 'x.csv', '--type', 'Bad Type'], /--type "Bad Type" must be lower-case/],
    ['an invalid --batch-id', ['submit', 'x.csv', '--batch-id', 'has space'], /--batch-id "has space" must start with a letter or digit/],
    ['a missing file', ['submit', 'missing.csv'], /cannot read missing.csv: no such file/],
    ['a URL that is not http', ['--ingestor-url', 'localhost:3000', 'submit', 'x.csv'], /--ingestor-url must be an http\(s\) URL/],
  ])('exits 2 on %s, with a message and nothing sent', async (_name, argv, message) => {
    const { exitCode, stderr, requests } = await run(argv);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(requests).toHaveLength(0);
  });

  it('exits 2 when --rejected-out cannot be written, before sending anything', async () => {
    const path = await file('ok.csv', 'key,type\nK,t\n');
    const { exitCode, stderr, requests } = await run(['submit', path, '--rejected-out', join(dir, 'no-such-dir', 'r.csv')]);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/cannot write --rejected-out .*no-such-dir\/r.csv: ENOENT/);
    expect(requests).toHaveLength(0);
  });

  it('exits 2 on a CSV header without a key column, before sending anything', async () => {
    const path = await file('no-key.csv', 'name,type\nx,t\n');
    const { exitCode, stderr, stdout, requests } = await run(['submit', path]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('the header has no "key" column (columns: name, type); use --key-column');
    expect(stdout).toBe('');
    expect(requests).toHaveLength(0);
  });
});

describe('workpipe submit', () => {
  it('sends the file in batches and reports each rejected and duplicate line by its number (exit 1)', async () => {
    const path = await file('items.csv', CSV);
    const ingestor = fakeIngestor();
    const { exitCode, stdout, stderr, requests } = await run(['submit', path, '--type', 'report', '--batch-size', '2'], [ingestor]);

    expect(exitCode).toBe(1);
    expect(requests.map((request) => request.body.items.map((item) => item.key))).toEqual([
      ['PF-1', 'PF 3'],
      ['PF-1', 'PF-4'],
      ['PF-5'],
    ]);
    expect(new Set(requests.map((request) => request.body.batchId))).toEqual(new Set(['cli-20250314-091502-400000']));
    expect(requests[1]?.body.items[1]).toEqual({ key: 'PF-4', type: 'report', payload: { name: 'Delta' } });
    expect(ingestor.acceptedIds).toHaveLength(3);

    expect(stderr).toContain('as batch cli-20250314-091502-400000 (generated), 2 items per request');
    expect(stderr).toContain('batch 1 (lines 2-4): 2 sent, 1 accepted, 2 rejected, 0 duplicates | 2/~6 items sent');
    expect(stderr).toContain('batch 2 (lines 5-6): 2 sent, 1 accepted, 0 rejected, 1 duplicates');
    expect(stdout).toContain('as batch cli-20250314-091502-400000: 6 lines read, 5 items sent in 3 requests');
    expect(stdout).toMatch(/accepted +3\n +rejected +2\n +duplicates +1\n/);
    expect(stdout).toContain('line 3: expected 3 fields as in the header, got 2');
    expect(stdout).toMatch(/line 4: key: must start with a letter or digit/);
  });

  it('writes every rejected line to --rejected-out as CSV', async () => {
    const path = await file('items-out.csv', CSV);
    const out = join(dir, 'rejected.csv');
    const { exitCode, stdout } = await run(['submit', path, '--type', 'report', '--rejected-out', out], [fakeIngestor()]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain(`All rejected lines are in ${out}.`);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('line,itemId,reason');
    expect(lines[1]).toBe('3,,"expected 3 fields as in the header, got 2"');
    expect(lines[2]).toMatch(/^4,,key: must start with a letter or digit/);
    expect(lines).toHaveLength(3);
  });

  it('exits 0 when nothing is rejected, duplicates included, and a re-run reports everything as duplicates', async () => {
    const path = await file('clean.jsonl', '{"portfolioId":"PF-1","name":"A"}\n{"portfolioId":"PF-2","name":"B"}\n');
    const ingestor = fakeIngestor();
    const argv = ['submit', path, '--type', 'portfolio-report', '--key-column', 'portfolioId', '--batch-id', 'nightly-1'];
    const first = await run(argv, [ingestor]);
    expect(first.exitCode).toBe(0);
    expect(first.requests[0]?.body).toEqual({
      batchId: 'nightly-1',
      items: [
        { key: 'PF-1', type: 'portfolio-report', payload: { portfolioId: 'PF-1', name: 'A' } },
        { key: 'PF-2', type: 'portfolio-report', payload: { portfolioId: 'PF-2', name: 'B' } },
      ],
    });
    expect(first.stderr).not.toContain('(generated)');
    const again = await run(argv, [ingestor]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/accepted +0\n +rejected +0\n +duplicates +2\n/);
  });

  it('stops with exit 3 when the ingestor stays unavailable, telling what was accepted and that a re-run is safe', async () => {
    const path = await file('outage.csv', CSV);
    const unavailable = { status: 503, headers: { 'retry-after': '5' }, body: { statusCode: 503, error: 'UNAVAILABLE', message: 'Kafka down' } };
    const { exitCode, stdout, stderr, requests, sleeps } = await run(
      ['submit', path, '--type', 'report', '--batch-size', '2', '--max-attempts', '3'],
      [fakeIngestor(), unavailable],
    );
    expect(exitCode).toBe(3);
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([5_000, 5_000]);
    expect(stderr).toContain('batch 2: 503 UNAVAILABLE: Kafka down; retrying in 5.0 s (attempt 2 of 3)');
    expect(stderr).toContain('workpipe submit: the ingestor is unavailable after 3 attempts (last: 503 UNAVAILABLE: Kafka down)');
    expect(stdout).toContain('Accepted so far: 1 item (lines up to 4 are settled).');
    expect(stdout).toContain('Re-running the same command is safe');
  });

  it('exits 4 when the API key is refused, and never prints the key', async () => {
    const path = await file('auth.csv', CSV);
    const refused = { status: 401, body: { statusCode: 401, error: 'API_KEY_INVALID', message: 'the API key is not valid' } };
    const { exitCode, stdout, stderr, requests } = await run(['submit', path, '--type', 'report'], [refused], {
      env: { API_KEY: 'hunter2-secret' },
    });
    expect(exitCode).toBe(4);
    expect(requests[0]?.headers['x-api-key']).toBe('hunter2-secret');
    expect(stderr).toContain('the ingestor refused the API key (the API key is not valid); check --api-key or API_KEY');
    expect(stdout + stderr).not.toContain('hunter2');
    expect(stdout).toBe(''); // nothing was answered: no summary, only the error
  });

  it('takes the ingestor URL from INGESTOR_URL, and global options after the command name', async () => {
    const path = await file('url.csv', 'key,type\nK,t\n');
    const fromEnv = await run(['submit', path], [acceptAll], { env: { INGESTOR_URL: 'http://env-host:9000/' } });
    expect(fromEnv.requests[0]?.url).toBe('http://env-host:9000/v1/batches');
    const fromFlag = await run(['submit', path, '--ingestor-url', 'http://flag-host:9001', '--api-key', 'k'], [acceptAll], {
      env: { INGESTOR_URL: 'http://env-host:9000' },
    });
    expect(fromFlag.requests[0]?.url).toBe('http://flag-host:9001/v1/batches');
    expect(fromFlag.requests[0]?.headers['x-api-key']).toBe('k');
  });

  it('draws a progress bar with rate and ETA on a terminal instead of per-batch lines', async () => {
    const path = await file('tty.csv', CSV);
    let stderr = '';
    const { exitCode } = await run(['submit', path, '--type', 'report'], [fakeIngestor()], {
      stderr: { write: (text: string) => (stderr += text), isTTY: true, columns: 160 },
    });
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/\d+\/\d+ items \| \d+ items\/s \| ETA/);
    expect(stderr).not.toContain('batch 1 (');
  });

  it('streams a file of 100k lines through in batches of 1000', async () => {
    const path = join(dir, 'large.jsonl');
    const out = createWriteStream(path);
    for (let line = 1; line <= 100_000; line += 1) {
      if (!out.write(`{"key":"K-${line}","type":"report","payload":{"n":${line}}}\n`)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    const sizes: number[] = [];
    // Not recording bodies: only what the test needs.
    const countingFetch = (async (_url: string, init: RequestInit) => {
      const { items } = JSON.parse(String(init.body)) as { items: unknown[] };
      sizes.push(items.length);
      const accepted = items.map((_, index) => ({ index, itemId: `i-${sizes.length}-${index}` }));
      return new Response(
        JSON.stringify({ correlationId: 'c', accepted, rejected: [], duplicates: [], counts: { accepted: accepted.length, rejected: 0, duplicates: 0 } }),
        { status: 202 },
      );
    }) as unknown as typeof fetch;
    const { exitCode, stdout } = await run(['submit', path, '--batch-size', '1000'], [], { fetch: countingFetch });
    expect(exitCode).toBe(0);
    expect(sizes).toHaveLength(100);
    expect(sizes.every((size) => size === 1000)).toBe(true);
    expect(stdout).toContain('100000 lines read, 100000 items sent in 100 requests');
  }, 120_000); // a large file on a possibly busy machine: the assertion is on what was sent, not on speed

  it('stops with exit 3 when nothing listens at the ingestor URL (real fetch)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const path = await file('closed.csv', 'key,type\nK,t\n');
    const { exitCode, stdout, stderr, sleeps } = await run(
      ['submit', path, '--ingestor-url', `http://127.0.0.1:${port}`, '--max-attempts', '2'],
      [],
      { fetch: globalThis.fetch },
    );
    expect(exitCode).toBe(3);
    expect(sleeps).toEqual([1_050]); // 1 s plus 5 % jitter (random 0.25 of the 20 %)
    expect(stderr).toContain(`cannot reach http://127.0.0.1:${port}/v1/batches: fetch failed (ECONNREFUSED)`);
    expect(stdout).toContain('Accepted so far: 0 items.');
  });
});
