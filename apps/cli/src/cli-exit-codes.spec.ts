import type { OperationsApi } from '@workpipe/contracts';
import { runCli } from './cli';
import { scriptedFetch, type ScriptedAnswer } from './testing/scripted-fetch';

/** Runs `workpipe` in-process against a scripted stats service; time and randomness are fixed. */
async function run(argv: string[], ...script: ScriptedAnswer[]) {
  let stdout = '';
  let stderr = '';
  const fetch = scriptedFetch(...script);
  const exitCode = await runCli(['--stats-url', 'http://stats.test', ...argv], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    fetch,
    sleep: async () => undefined,
    now: () => Date.parse('2025-03-14T09:15:02Z'),
    random: () => 0.25,
  });
  return { exitCode, stdout, stderr, requests: fetch.requests };
}

/** The live progress of batch `b-1` as the stats service streams it. */
function progress(items: OperationsApi.BatchProgress['items'], complete: boolean): OperationsApi.BatchProgress {
  const finished = items.succeeded + items.abandoned;
  return {
    batchId: 'b-1',
    known: true,
    items,
    retryable: 0,
    failedAttempts: 0,
    retriesScheduled: 0,
    rates: { success: finished === 0 ? null : items.succeeded / finished, firstPassSuccess: null, recovery: null },
    expected: 3,
    complete,
    asOf: '2025-03-14T09:15:02.000Z',
  };
}

/** `GET /v1/batches/:id/events` answering these server-sent events, then ending. */
function eventStream(...events: [name: 'progress' | 'complete', data: OperationsApi.BatchProgress][]): ScriptedAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join(''),
  };
}

const refused = { status: 401, body: { statusCode: 401, error: 'API_KEY_INVALID', message: 'the API key is not valid' } };

describe('workpipe watch exit codes', () => {
  it('exits 0 when every item of the batch succeeded', async () => {
    const { exitCode, stdout, requests } = await run(
      ['--api-key', 'reader-key-1', 'watch', 'b-1', '--expected', '3'],
      eventStream(
        ['progress', progress({ submitted: 3, pending: 2, succeeded: 1, abandoned: 0 }, false)],
        ['complete', progress({ submitted: 3, pending: 0, succeeded: 3, abandoned: 0 }, true)],
      ),
    );
    expect(stdout).toBe('Batch b-1: 3 items, 3 succeeded, 0 abandoned (success rate 100.0%)\n');
    expect(exitCode).toBe(0);
    expect(requests[0]).toMatchObject({ url: 'http://stats.test/v1/batches/b-1/events?expected=3', headers: { 'x-api-key': 'reader-key-1' } });
  });

  it('exits 1 when some items were abandoned', async () => {
    const { exitCode } = await run(['watch', 'b-1'], eventStream(['complete', progress({ submitted: 3, pending: 0, succeeded: 2, abandoned: 1 }, true)]));
    expect(exitCode).toBe(1);
  });

  it('exits 4 when the stats service refuses the key', async () => {
    const { exitCode, stdout, stderr } = await run(['--api-key', 'wrong-key-1', 'watch', 'b-1'], refused);
    expect(exitCode).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toContain('workpipe watch: the stats service refused the request');
    expect(stderr).toContain('the key given is not one of API_KEYS or lacks the role');
    expect(stderr).not.toContain('wrong-key-1');
  });
});

describe('workpipe failure-stats exit codes', () => {
  it('exits 4 when the stats service refuses the key, printing no report', async () => {
    const { exitCode, stdout, stderr, requests } = await run(['--api-key', 'wrong-key-1', 'failure-stats'], refused);
    expect(exitCode).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toContain('workpipe failure-stats: the stats service refused the request: the API key is not valid (the key given is not one of API_KEYS or lacks the role)');
    expect(requests[0]?.headers['x-api-key']).toBe('wrong-key-1');
  });

  it('exits 4 without a key where the service wants one, saying how to give one', async () => {
    const { exitCode, stderr } = await run(['failure-stats'], { status: 401, body: { statusCode: 401, error: 'API_KEY_MISSING', message: 'this endpoint requires an API key' } });
    expect(exitCode).toBe(4);
    expect(stderr).toContain('give one with --api-key or API_KEY');
  });
});

const COUNTS: OperationsApi.ReplayCounts = { read: 0, selected: 0, republished: 0, alreadyReplayed: 0, skippedByFilter: 0, superseded: 0, undecodable: 0 };

/** Replay `rp-1` as the stats service shows it, in a state, with its run's counts and undecodable positions. */
function replayView(state: OperationsApi.ReplayState, run: Partial<OperationsApi.ReplayCounts> = {}, undecodable: string[] = []): OperationsApi.ReplayView {
  const counts = { ...COUNTS, ...run };
  return {
    replayId: 'rp-1',
    state,
    ...(state === 'running' ? { phase: 'publishing' as const } : {}),
    createdAt: '2025-03-14T09:15:02.000Z',
    updatedAt: '2025-03-14T09:15:03.000Z',
    requestedBy: { kind: 'api-key', keyId: 'sha256:0123456789abcdef' },
    runs: 1,
    selection: { origin: 'replay', topic: 'wp.work.abandoned', ranges: [{ partition: 0, from: '0', to: '5' }], filter: { types: [], reasons: [] }, asked: '--partition 0' },
    selectionText: 'wp.work.abandoned, partition 0 offsets 0-5',
    counts,
    lastRun: { run: 1, state, startedAt: '2025-03-14T09:15:02.000Z', pacing: {}, counts, earlier: 0, remaining: 0, undecodable },
    outcome: { published: counts.republished, recovered: 0, failedAgain: 0, pending: counts.republished, failing: [], waiting: [] },
    progress: { done: 0, total: counts.selected, fraction: null },
    requests: [],
  };
}

describe('workpipe replay exit codes', () => {
  const range = ['--api-key', 'operator-key-1', 'replay', '--partition', '0', '--from-offset', '0', '--to-offset', '5'];

  it('exits 1 when some dead letters of the range could not be decoded: left alone, and listed', async () => {
    const undecodable = ['wp.work.abandoned:0:2', 'wp.work.abandoned:0:4'];
    const { exitCode, stdout } = await run(
      range,
      { status: 202, body: replayView('running') },
      { status: 200, body: replayView('complete', { read: 6, selected: 4, republished: 4, undecodable: 2 }, undecodable) },
    );
    expect(stdout).toContain('Undecodable dead letters (left alone): wp.work.abandoned:0:2, wp.work.abandoned:0:4\n');
    expect(stdout).toMatch(/republished +4\n/);
    expect(exitCode).toBe(1);
  });

  it('exits 0 for the same range when every dead letter decoded', async () => {
    const { exitCode, stdout } = await run(range, { status: 202, body: replayView('running') }, { status: 200, body: replayView('complete', { read: 6, selected: 6, republished: 6 }) });
    expect(stdout).not.toContain('Undecodable');
    expect(exitCode).toBe(0);
  });

  it('exits 1 for a dry run that finds undecodable dead letters', async () => {
    const result: OperationsApi.DryRunResult = {
      origin: 'replay',
      topic: 'wp.work.abandoned',
      selectionText: 'wp.work.abandoned, partition 0 offsets 0-5',
      counts: { read: 6, wouldReplay: 5, alreadyReplayed: 0, skippedByFilter: 0, superseded: 0, undecodable: 1 },
      rows: [],
      alreadyReplayed: [],
    };
    const { exitCode } = await run([...range, '--dry-run'], { status: 200, body: result });
    expect(exitCode).toBe(1);
  });
});
