import { HEADERS, TOPICS, type WorkAbandoned } from '@workpipe/contracts';
import type { ReadEvent } from '../support/topic-reader';
import { itemIdOf, KEYS, PORTFOLIOS, ReplayScenario, replayIdOf } from './support/replay-fixture';

/**
 * Replay by topic offset against the whole pipeline and the simulator: items
 * abandoned for real, replayed by `workpipe replay` (a client of the stats
 * service's operations API, which runs the replay), processed again, and read
 * back with `workpipe replay-status`; then `retry-failures` for the rest.
 * The tests run in order and build on each other's replays.
 */
describe('workpipe replay, replay-status and retry-failures against the pipeline', () => {
  const scenario = new ReplayScenario('replay');
  const recoverable = new Set<string>(PORTFOLIOS.recoverable.map(itemIdOf));
  /** The range of test 1, reused by the next tests. */
  let range: { partition: number; from: number; to: number; items: ReadEvent<WorkAbandoned.Value>[] };
  let rangeArgs: string[];

  beforeAll(async () => {
    await scenario.start();
    // Two consecutive offsets of one partition whose dead letters are recoverable items (the
    // recoverable ones are abandoned last, so each partition ends with a run of them), else one.
    const byPartition = new Map<number, ReadEvent<WorkAbandoned.Value>[]>();
    for (const event of scenario.abandoned.events) byPartition.set(event.partition, [...(byPartition.get(event.partition) ?? []), event]);
    const candidates: (typeof range)[] = [];
    for (const [partition, events] of byPartition) {
      const sorted = [...events].sort((a, b) => Number(a.offset) - Number(b.offset));
      sorted.forEach((a, i) => {
        const b = sorted[i + 1];
        if (!recoverable.has(a.value.item.itemId)) return;
        if (b && Number(b.offset) === Number(a.offset) + 1 && recoverable.has(b.value.item.itemId)) {
          candidates.push({ partition, from: Number(a.offset), to: Number(b.offset), items: [a, b] });
        } else {
          candidates.push({ partition, from: Number(a.offset), to: Number(a.offset), items: [a] });
        }
      });
    }
    const chosen = candidates.find((candidate) => candidate.items.length === 2) ?? candidates[0];
    if (!chosen) throw new Error('no recoverable dead letter to replay');
    range = chosen;
    rangeArgs = ['replay', '--partition', String(range.partition), '--from-offset', String(range.from), '--to-offset', String(range.to)];
  }, 150_000);

  afterAll(() => scenario.stop());

  it('abandoned every failing portfolio once, with its whole history and the reason', () => {
    const first = scenario.firstDeadLetters();
    expect(first.size).toBe(13);
    for (const id of PORTFOLIOS.recoverable) {
      expect(first.get(itemIdOf(id))?.value).toMatchObject({ reason: 'MAX_ATTEMPTS', lastFailure: { type: 'API_ERROR' } });
      expect(first.get(itemIdOf(id))?.value.item.history).toHaveLength(5);
    }
    expect(first.get(itemIdOf('PF-0012'))?.value).toMatchObject({ reason: 'NOT_RETRYABLE', lastFailure: { type: 'VALIDATION' } });
    expect(first.get(itemIdOf('PF-0013'))?.value).toMatchObject({ reason: 'MAX_ATTEMPTS', lastFailure: { type: 'TIMEOUT' } });
  });

  it('replays exactly the dead letters of an offset range as fresh attempts with their history; they recover', async () => {
    const before = await scenario.workMessageCount();
    const run = await scenario.workpipe(rangeArgs);
    expect(run.exitCode).toBe(0);
    const replayId = replayIdOf(run);
    expect(replayId).toMatch(/^rp-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(run.stdout).toContain(`Replay ${replayId} (complete): ${scenario.topic(TOPICS.abandoned)}, partition ${range.partition} offsets ${range.from}-${range.to}`);
    const n = range.items.length;
    expect(run.stdout).toMatch(new RegExp(`dead letters read +${n}\\n +selected +${n}\\n +republished +${n}\\n +already replayed +0\\n`));

    const replayed = await scenario.waitForReplayedItems(replayId, n);
    expect(await scenario.workMessageCount()).toBe(before + n);
    expect(replayed.map((event) => event.value.itemId).sort()).toEqual(range.items.map((d) => d.value.item.itemId).sort());
    for (const deadLetter of range.items) {
      const event = replayed.find((e) => e.value.itemId === deadLetter.value.item.itemId) as ReadEvent<typeof deadLetter.value.item>;
      const { attempt, deferrals, replay, history, ...same } = event.value;
      expect(attempt).toBe(1);
      expect(deferrals).toBeUndefined();
      expect(replay).toMatchObject({
        replayId,
        source: { topic: scenario.topic(TOPICS.abandoned), partition: range.partition, offset: deadLetter.offset },
      });
      expect(history).toEqual(deadLetter.value.item.history);
      expect(history).toHaveLength(5);
      const { attempt: _a, history: _h, ...original } = deadLetter.value.item;
      expect(same).toEqual(original);
      expect(event.key).toBe(deadLetter.value.item.key);
      expect(event.headers).toMatchObject({
        [HEADERS.itemId]: deadLetter.value.item.itemId,
        [HEADERS.batchId]: 'replay-batch',
        [HEADERS.attempt]: '1',
        [HEADERS.correlationId]: deadLetter.value.item.correlationId,
        [HEADERS.replayId]: replayId,
      });
    }

    const status = await scenario.workpipe(['replay-status', replayId, '--wait', '--timeout', '60s']);
    expect(status.stdout).toContain(`Replay ${replayId}: complete`);
    expect(status.stdout).toMatch(new RegExp(`Recovered: ${n}\\n +Still failing: 0\\n`));
    expect(status.stdout).toContain(`Success: all ${n} replayed ${n === 1 ? 'item' : 'items'} recovered.`);
    expect(status.exitCode).toBe(0);
    const successes = scenario.succeeded.values().filter((event) => event.replayId === replayId);
    expect(successes.map((event) => event.itemId).sort()).toEqual(range.items.map((d) => d.value.item.itemId).sort());
  });

  it('running the same replay command again adds no work: already replayed', async () => {
    const before = await scenario.workMessageCount();
    const run = await scenario.workpipe(rangeArgs);
    expect(run.exitCode).toBe(0);
    const n = range.items.length;
    expect(run.stdout).toMatch(new RegExp(`selected +${n}\\n +republished +0\\n +already replayed +${n}\\n`));
    expect(run.stdout).toContain(`Nothing new to replay: ${n} selected dead ${n === 1 ? 'letter was' : 'letters were'} already replayed.`);
    expect(await scenario.workMessageCount()).toBe(before);
    const again = await scenario.workpipe(['replay-status', replayIdOf(run)]);
    expect(again.stdout).toContain('Nothing was republished.');
  });

  it('--dry-run lists what would be replayed and publishes and records nothing; --type, --reason, --since/--until filter', async () => {
    const before = await scenario.workMessageCount();
    const timeouts = await scenario.workpipe(['replay', '--type', 'TIMEOUT', '--dry-run', '--replay-id', 'it-dry']);
    expect(timeouts.exitCode).toBe(0);
    expect(timeouts.stdout).toContain('1 dead letter would be replayed (nothing is published or recorded)');
    expect(timeouts.stdout).toMatch(/OFFSET +ITEM +KEY +LAST FAILURE +REASON +ATTEMPTS +ABANDONED AT +MESSAGE/);
    expect(timeouts.stdout).toMatch(new RegExp(`\\d+:\\d+ +${itemIdOf('PF-0013')} +PF-0013 +TIMEOUT +MAX_ATTEMPTS +3 `));
    expect(timeouts.stdout).toMatch(/skipped by filter 12/);
    for (const id of [...PORTFOLIOS.recoverable, ...PORTFOLIOS.auth, ...PORTFOLIOS.validation]) expect(timeouts.stdout).not.toContain(itemIdOf(id));

    // --since/--until: the brokers' time index narrows the read, abandonedAt decides (both ends included).
    // The dead letters test 1 replayed count as already replayed, so the instant is taken from another one.
    const positionOf = (e: ReadEvent<WorkAbandoned.Value>): string => `${e.partition}:${e.offset}`;
    const replayedPositions = new Set(range.items.map(positionOf));
    const notReplayed = scenario.abandoned.events.filter((e) => !replayedPositions.has(positionOf(e)));
    const some = notReplayed[notReplayed.length - 1] as ReadEvent<WorkAbandoned.Value>;
    const at = some.value.abandonedAt;
    const sameInstant = scenario.abandoned.events.filter((e) => e.value.abandonedAt === at);
    const fresh = sameInstant.filter((e) => !replayedPositions.has(positionOf(e)));
    const window = await scenario.workpipe(['replay', '--since', at, '--until', at, '--dry-run']);
    expect(window.exitCode).toBe(0);
    expect(window.stdout).toContain(`${fresh.length} dead ${fresh.length === 1 ? 'letter' : 'letters'} would be replayed`);
    expect(window.stdout).toContain(`already replayed ${sameInstant.length - fresh.length} (would be skipped)`);
    for (const event of fresh) expect(window.stdout).toMatch(new RegExp(`${positionOf(event)} +${event.value.item.itemId} `));
    const recent = await scenario.workpipe(['replay', '--since', '1h', '--reason', 'NOT_RETRYABLE', '--dry-run']);
    expect(recent.stdout).toContain('1 dead letter would be replayed');
    expect(recent.stdout).toMatch(new RegExp(`${itemIdOf('PF-0012')} +PF-0012 +VALIDATION +NOT_RETRYABLE +1 `));
    const future = await scenario.workpipe(['replay', '--since', new Date(Date.now() + 3_600_000).toISOString(), '--dry-run']);
    expect(future.stdout).toContain('0 dead letters would be replayed');

    const sameRange = await scenario.workpipe([...rangeArgs, '--dry-run']);
    expect(sameRange.stdout).toContain('0 dead letters would be replayed');
    expect(sameRange.stdout).toContain(`already replayed ${range.items.length} (would be skipped)`);

    expect(await scenario.workMessageCount()).toBe(before);
    const redis = scenario.env.redis();
    try {
      expect(await redis.exists(`${scenario.env.redisPrefix}replay:it-dry`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('--trial 1 replays one item, --continue replays the rest exactly once', async () => {
    const trial = await scenario.workpipe(['replay', '--type', 'AUTHENTICATION', '--trial', '1']);
    expect(trial.exitCode).toBe(0);
    const replayId = replayIdOf(trial);
    expect(trial.stdout).toContain(`Replay ${replayId} (trial)`);
    expect(trial.stdout).toContain('Trial done: 1 republished, 1 left.');
    expect(trial.stdout).toContain(`Replay the rest:  workpipe replay --continue ${replayId}`);
    expect(trial.stdout).toMatch(/skipped by filter +11\n/);
    await scenario.waitForReplayedItems(replayId, 1);

    const rest = await scenario.workpipe(['replay', '--continue', replayId, '--rate', '5']);
    expect(rest.exitCode).toBe(0);
    expect(rest.stdout).toContain(`Replay ${replayId} (complete)`);
    expect(rest.stdout).toMatch(/selected +2\n +republished +1\n +replayed in earlier runs +1\n +already replayed +0\n/);

    const before = await scenario.workMessageCount();
    const nothingLeft = await scenario.workpipe(['replay', '--continue', replayId]);
    expect(nothingLeft.stdout).toMatch(/republished +0\n +replayed in earlier runs +2\n/);
    expect(await scenario.workMessageCount()).toBe(before);

    const replayed = await scenario.waitForReplayedItems(replayId, 2);
    expect(replayed.map((event) => event.value.itemId).sort()).toEqual(PORTFOLIOS.auth.map(itemIdOf));
    const status = await scenario.workpipe(['replay-status', replayId, '--wait', '--timeout', '60s']);
    expect(status.stdout).toContain(`Replay ${replayId}: complete, created`);
    expect(status.stdout).toContain('3 runs'); // the trial and two --continue
    expect(status.stdout).toMatch(/Recovered: 2\n +Still failing: 0\n/);
    expect(status.exitCode).toBe(0);
  });

  it('retry-failures --max 10 --wait replays every item still worth retrying and reports recovered / still failing', async () => {
    const run = await scenario.workpipe(['retry-failures', '--max', '10', '--wait', '--timeout', '90s']);
    // Not yet replayed: 7 recoverable and the hopeless one; the validation failure is not worth retrying.
    expect(run.stdout).toContain('Not worth retrying: 1 (NOT_RETRYABLE or VALIDATION)');
    const available = 7 + (2 - range.items.length) + 1;
    expect(run.stdout).toContain(`Already replayed: ${2 + range.items.length}`);
    expect(run.stdout).toContain(`Available: ${available}, limited to: 10`);
    const replayId = replayIdOf(run);
    const replayed = await scenario.waitForReplayedItems(replayId, available);
    expect(replayed).toHaveLength(available);
    const expected = [...PORTFOLIOS.recoverable.map(itemIdOf).filter((id) => !range.items.some((d) => d.value.item.itemId === id)), itemIdOf('PF-0013')];
    expect(replayed.map((event) => event.value.itemId).sort()).toEqual(expected.sort());
    expect(run.stdout).toMatch(new RegExp(`selected +${available}\\n +republished +${available}\\n +already replayed +0\\n +not chosen +${13 - available}\\n`));
    expect(run.stdout).toMatch(new RegExp(`Recovered: ${available - 1}\\n +Still failing: 1\\n`));
    expect(run.stdout).toMatch(new RegExp(`${itemIdOf('PF-0013')} +TIMEOUT \\(MAX_ATTEMPTS\\)`));
    expect(run.stdout).toContain(`${available - 1} of ${available} recovered; 1 still failing.`);
    expect(run.exitCode).toBe(1);

    // The hopeless item's latest dead letter is the new one: the only item still worth retrying.
    const next = await scenario.workpipe(['retry-failures', '--dry-run']);
    expect(next.stdout).toContain('Available: 1\n');
    expect(next.stdout).toMatch(new RegExp(`${itemIdOf('PF-0013')} +PF-0013 +TIMEOUT +MAX_ATTEMPTS +6 `));
    expect(next.exitCode).toBe(0);
  });

  it('says clearly what is wrong: unknown replay or partition (exit 2), stats service unavailable (exit 3), a key that may not replay (exit 4)', async () => {
    const unknown = await scenario.workpipe(['replay-status', 'rp-none']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no replay "rp-none" is recorded');

    const partition = await scenario.workpipe(['replay', '--partition', '7', '--dry-run']);
    expect(partition.exitCode).toBe(2);
    expect(partition.stderr).toContain(`${scenario.topic(TOPICS.abandoned)} has partitions 0 to 2; there is no partition 7`);

    const statsDown = await scenario.workpipe(['replay', '--partition', '0', '--dry-run'], { STATS_URL: 'http://127.0.0.1:9' });
    expect(statsDown.exitCode).toBe(3);
    expect(statsDown.stderr).toContain('the stats service at http://127.0.0.1:9 did not answer');

    const readOnly = await scenario.workpipe(['replay', '--partition', '0', '--dry-run'], { API_KEY: KEYS.reader });
    expect(readOnly.exitCode).toBe(4);
    expect(readOnly.stderr).toContain('needs a key with the "operate" role');
    const noKey = await scenario.workpipe(['replay-status', 'rp-none'], { API_KEY: '' });
    expect(noKey.exitCode).toBe(4);
  });

  it('leaves no consumer group behind: every read of the stats service used a throwaway group, deleted afterwards', async () => {
    const admin = scenario.env.kafka().admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
      expect(groups.filter((groupId) => groupId.startsWith(`${scenario.env.topicPrefix}replay-read-`))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
