import type { OperationsApi } from '@workpipe/contracts';
import { runCli } from '../cli';
import { scriptedFetch, type RecordedRequest, type ScriptedAnswer } from '../testing/scripted-fetch';

const COUNTS: OperationsApi.ReplayCounts = { read: 0, selected: 0, republished: 0, alreadyReplayed: 0, skippedByFilter: 0, superseded: 0, undecodable: 0 };

/** The stats service's view of replay `rp-1` in a given state, with this run's counts. */
function view(state: OperationsApi.ReplayState, run: Partial<OperationsApi.ReplayCounts> = {}, extra: Partial<OperationsApi.ReplayView> = {}): OperationsApi.ReplayView {
  const counts = { ...COUNTS, ...run };
  return {
    replayId: 'rp-1',
    state,
    ...(state === 'running' ? { phase: 'publishing' as const } : {}),
    createdAt: '2025-03-14T09:15:02.000Z',
    updatedAt: '2025-03-14T09:15:03.000Z',
    requestedBy: { kind: 'api-key', keyId: 'sha256:0123456789abcdef' },
    runs: 1,
    selection: { origin: 'replay', topic: 'wp.work.abandoned', ranges: [{ partition: 0, from: '2', to: '3' }], filter: { types: [], reasons: [] }, asked: '--partition 0' },
    selectionText: 'wp.work.abandoned, partition 0 offsets 2-3',
    counts,
    lastRun: { run: 1, state, startedAt: '2025-03-14T09:15:02.000Z', pacing: {}, counts, earlier: 0, remaining: 0, undecodable: [] },
    outcome: { published: counts.republished, recovered: 0, failedAgain: 0, pending: counts.republished, failing: [], waiting: [] },
    progress: { done: 0, total: counts.selected, fraction: null },
    requests: [],
    ...extra,
  };
}

async function run(argv: string[], ...script: ScriptedAnswer[]) {
  let stdout = '';
  let stderr = '';
  const fetch = scriptedFetch(...script);
  const exitCode = await runCli(['--stats-url', 'http://stats.test', '--api-key', 'operator-key-1', ...argv], {
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

const answer = (status: number, body: unknown) => ({ status, body });

describe('workpipe replay against the stats service', () => {
  it('starts the replay with the selection as flags, follows it and prints the summary', async () => {
    const done = view('complete', { read: 2, selected: 2, republished: 2 });
    const { exitCode, stdout, stderr, requests } = await run(
      ['replay', '--partition', '0', '--from-offset', '2', '--to-offset', '3'],
      answer(202, view('running', {}, { phase: 'selecting' })),
      answer(200, view('running', { read: 2, selected: 2, republished: 1 })),
      answer(200, done),
    );
    expect(exitCode).toBe(0);
    const [create] = requests as RecordedRequest[];
    expect(create).toMatchObject({ url: 'http://stats.test/v1/replays', method: 'POST', headers: { 'x-api-key': 'operator-key-1' } });
    expect(create?.body).toMatchObject({
      replayId: 'rp-20250314-091502-400000',
      selection: { kind: 'dead-letters', partitions: [0], fromOffset: '2', toOffset: '3' },
      dryRun: false,
      asked: '--partition 0 --from-offset 2 --to-offset 3',
    });
    expect(stderr).toContain('Replay id: rp-20250314-091502-400000 (generated)');
    expect(stdout).toBe(
      [
        'Replay rp-1 (complete): wp.work.abandoned, partition 0 offsets 2-3',
        '  dead letters read  2',
        '  selected           2',
        '  republished        2',
        '  already replayed   0',
        '  skipped by filter  0',
        'Follow the outcome: workpipe replay-status rp-1 --wait',
        '',
      ].join('\n'),
    );
  });

  it('prints a dry run: the dead letters it would replay', async () => {
    const result: OperationsApi.DryRunResult = {
      origin: 'replay',
      topic: 'wp.work.abandoned',
      selectionText: 'wp.work.abandoned, partition 0 offsets 0-5, last failure TIMEOUT',
      counts: { read: 6, wouldReplay: 1, alreadyReplayed: 0, skippedByFilter: 5, superseded: 0, undecodable: 0 },
      rows: [{ partition: 0, offset: '1', itemId: 'PF-13', key: 'PF', lastFailureType: 'TIMEOUT', reason: 'MAX_ATTEMPTS', attempts: 3, abandonedAt: '2025-03-14T09:00:00.000Z', message: 'slow' }],
      alreadyReplayed: [],
    };
    const { exitCode, stdout, requests } = await run(['replay', '--type', 'TIMEOUT', '--dry-run'], answer(200, result));
    expect(exitCode).toBe(0);
    expect(requests[0]?.body).toMatchObject({ dryRun: true, selection: { kind: 'dead-letters', types: ['TIMEOUT'] } });
    expect(stdout).toContain('1 dead letter would be replayed (nothing is published or recorded)');
    expect(stdout).toMatch(/0:1 +PF-13 +PF +TIMEOUT +MAX_ATTEMPTS +3 /);
  });

  it('exits 3 with how to resume when the run was interrupted behind the service', async () => {
    const interrupted = view('interrupted', { selected: 4, republished: 1 });
    interrupted.lastRun.error = 'Kafka did not acknowledge within 15000 ms';
    const { exitCode, stderr } = await run(['replay', '--type', 'API_ERROR'], answer(202, view('running')), answer(200, interrupted));
    expect(exitCode).toBe(3);
    expect(stderr).toContain('workpipe replay: Kafka did not acknowledge within 15000 ms');
    expect(stderr).toContain('resume it with: workpipe replay --continue rp-1');
  });

  it('continues a replay: its next run, with "replayed in earlier runs"', async () => {
    const before = view('trial', { selected: 2, republished: 1 });
    const after = view('complete', { selected: 2, republished: 1 }, { runs: 2 });
    after.lastRun = { ...after.lastRun, run: 2, earlier: 1 };
    const { exitCode, stdout, requests } = await run(['replay', '--continue', 'rp-1', '--rate', '5'], answer(200, before), answer(202, { ...before, state: 'running' }), answer(200, after));
    expect(exitCode).toBe(0);
    expect(requests[1]).toMatchObject({ url: 'http://stats.test/v1/replays/rp-1/continue', body: { ratePerSecond: 5, dryRun: false } });
    expect(stdout).toMatch(/selected +2\n +republished +1\n +replayed in earlier runs +1\n +already replayed +0\n/);
  });

  it('says what the service refused: exit 2 for an unknown replay, 4 for a key without the role', async () => {
    const unknown = await run(['replay-status', 'rp-none'], answer(404, { statusCode: 404, error: 'REPLAY_NOT_FOUND', message: 'no replay "rp-none" is recorded' }));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('workpipe replay-status: no replay "rp-none" is recorded');
    const refused = await run(['replay', '--type', 'API_ERROR'], answer(403, { statusCode: 403, error: 'ROLE_MISSING', message: 'this endpoint needs a key with the "operate" role' }));
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain('needs a key with the "operate" role');
  });
});

describe('workpipe retry-failures against the stats service', () => {
  it('prints how the items were found, the replay, and with --wait the outcome', async () => {
    const candidates: OperationsApi.RetryCandidates = {
      read: 13,
      items: 13,
      undecodable: 0,
      drops: { notWorthRetrying: 1, otherType: 0, alreadyReplayed: 4, succeededLater: 0 },
      available: 8,
      max: 10,
    };
    const selection: OperationsApi.ResolvedSelection = { origin: 'retry-failures', topic: 'wp.work.abandoned', ranges: [], filter: { types: [], reasons: [] }, max: 10, asked: 'retry-failures --max 10' };
    const done = view('complete', { read: 13, selected: 8, republished: 8, skippedByFilter: 5 }, { selection, candidates, selectionText: 'wp.work.abandoned, every item still worth retrying (at most 10)' });
    const recovered = { ...done, outcome: { published: 8, recovered: 8, failedAgain: 0, pending: 0, failing: [], waiting: [] } };
    const { exitCode, stdout, requests } = await run(['retry-failures', '--max', '10', '--wait'], answer(202, view('running', {}, { selection })), answer(200, done), answer(200, recovered));
    expect(requests[0]?.body).toMatchObject({ selection: { kind: 'retry-failures', max: 10 }, dryRun: false });
    expect(stdout).toContain('  Available: 8, limited to: 10\nReplaying 8 as rp-1 (generated id)\n');
    expect(stdout).toMatch(/selected +8\n +republished +8\n +already replayed +0\n +not chosen +5\n/);
    expect(stdout).toContain('Success: all 8 replayed items recovered.');
    expect(exitCode).toBe(0);
  });
});
