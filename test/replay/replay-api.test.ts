import request from 'supertest';
import { OperationsApi, ReplayRequest, TOPICS, WorkItem, type WorkAbandoned } from '@workpipe/contracts';
import { EventPublisher } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { ReplayKeys, ReplayLedger, replayedItemHeaders, replayedWorkItem } from '@workpipe/replay';
import { ReplayRuntime } from '../../apps/stats/src/operations/replay-runtime';
import { deleteTestSubjects } from '../support/registry-subjects';
import { TopicReader, type ReadEvent } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';
import { itemIdOf, KEYS, PORTFOLIOS, ReplayScenario } from './support/replay-fixture';

/**
 * The operations API of the stats service against the whole pipeline: a
 * replay of a chosen range started over HTTP recovers its items, the same
 * request again adds nothing, roles are enforced, one item's whole story is
 * readable, and every request is on the `replays` topic. What a test needs of
 * another's replays is a shared fixture run once (by whichever test asks first),
 * so each test also runs alone (-t).
 */
describe('operations API: replays and item status', () => {
  const scenario = new ReplayScenario('replay-api');
  const recoverable = new Set<string>(PORTFOLIOS.recoverable.map(itemIdOf));
  let range: { partition: number; from: string; to: string; items: ReadEvent<WorkAbandoned.Value>[] };
  const api = () => request(scenario.stats.getHttpServer());
  const selection = () => ({ kind: 'dead-letters', partitions: [range.partition], fromOffset: range.from, toOffset: range.to });

  /** Polls a replay until its latest run (at least `run`) ended. */
  async function ended(replayId: string, run = 1): Promise<OperationsApi.ReplayView> {
    return waitFor(
      async () => {
        const response = await api().get(`/v1/replays/${replayId}`).set('x-api-key', KEYS.reader).expect(200);
        const view = OperationsApi.ReplayViewSchema.parse(response.body);
        return view.state !== 'running' && view.lastRun.run >= run && view;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `replay ${replayId} run ${run} to end` },
    );
  }

  beforeAll(async () => {
    await scenario.start();
    const byPartition = new Map<number, ReadEvent<WorkAbandoned.Value>[]>();
    for (const event of scenario.abandoned.events) {
      if (recoverable.has(event.value.item.itemId)) byPartition.set(event.partition, [...(byPartition.get(event.partition) ?? []), event]);
    }
    // The recoverable dead letters of the partition holding most of them, as one offset range.
    const [partition, events] = [...byPartition].sort((a, b) => b[1].length - a[1].length)[0] as [number, ReadEvent<WorkAbandoned.Value>[]];
    const sorted = [...events].sort((a, b) => Number(a.offset) - Number(b.offset));
    const from = sorted[0] as ReadEvent<WorkAbandoned.Value>;
    const inRange = scenario.abandoned.events.filter((e) => e.partition === partition && Number(e.offset) >= Number(from.offset) && Number(e.offset) <= Number(from.offset) + 1);
    const items = inRange.every((e) => recoverable.has(e.value.item.itemId)) ? inRange : [from];
    range = { partition, from: from.offset, to: (items[items.length - 1] as ReadEvent<WorkAbandoned.Value>).offset, items };
  }, 150_000);

  afterAll(async () => {
    await scenario.stop();
    await deleteTestSubjects(scenario.env);
  });

  /** The replay `api-range-1` of the range, run once: what it answered when started, and how it ended. */
  let rangeOneRun: Promise<{ before: number; started: unknown; view: OperationsApi.ReplayView }> | undefined;
  const rangeOne = () =>
    (rangeOneRun ??= (async () => {
      const before = await scenario.workMessageCount();
      const started = await api().post('/v1/replays').set('x-api-key', KEYS.operator).send({ replayId: 'api-range-1', selection: selection() }).expect(202);
      return { before, started: started.body as unknown, view: await ended('api-range-1') };
    })());

  /** The same range again as `api-range-2` (after `api-range-1`), then a dry run of it and a third request reusing the id. */
  let rangeTwoRun: Promise<{ before: number; after: number; view: OperationsApi.ReplayView; dry: unknown; reused: number }> | undefined;
  const rangeTwo = () =>
    (rangeTwoRun ??= (async () => {
      await rangeOne();
      const before = await scenario.workMessageCount();
      await api().post('/v1/replays').set('x-api-key', KEYS.operator).send({ replayId: 'api-range-2', selection: selection() }).expect(202);
      const view = await ended('api-range-2');
      const after = await scenario.workMessageCount();
      const dry = await api().post('/v1/replays').set('x-api-key', KEYS.operator).send({ selection: selection(), dryRun: true }).expect(200);
      const reused = await api().post('/v1/replays').set('x-api-key', KEYS.operator).send({ replayId: 'api-range-2', selection: selection() });
      return { before, after, view, dry: dry.body as unknown, reused: reused.status };
    })());

  /** A trial of one AUTHENTICATION dead letter, cancelled, a continue of it refused, and two more refusals. */
  let trialRun:
    | Promise<{ trial: OperationsApi.ReplayView; cancelled: request.Response; refused: request.Response; unknown: number; bad: request.Response }>
    | undefined;
  const trialCancelled = () =>
    (trialRun ??= (async () => {
      await api()
        .post('/v1/replays')
        .set('x-api-key', KEYS.operator)
        .send({ replayId: 'api-trial', selection: { kind: 'dead-letters', types: ['AUTHENTICATION'] }, trial: 1 })
        .expect(202);
      const trial = await ended('api-trial');
      const cancelled = await api().post('/v1/replays/api-trial/cancel').set('x-api-key', KEYS.operator);
      const refused = await api().post('/v1/replays/api-trial/continue').set('x-api-key', KEYS.operator).send({});
      const unknown = (await api().post('/v1/replays/rp-unknown/continue').set('x-api-key', KEYS.operator).send({})).status;
      const bad = await api().post('/v1/replays').set('x-api-key', KEYS.operator).send({ selection: { kind: 'dead-letters', partitions: [9] } });
      return { trial, cancelled, refused, unknown, bad };
    })());

  it('refuses without a key (401) and an operate call with a read key (403); reads with a read key', async () => {
    const body = { selection: { kind: 'retry-failures' }, dryRun: true };
    await api().post('/v1/replays').send(body).expect(401);
    await api().post('/v1/replays').set('x-api-key', 'not-a-key-at-all').send(body).expect(401);
    const forbidden = await api().post('/v1/replays').set('x-api-key', KEYS.reader).send(body).expect(403);
    expect(forbidden.body).toMatchObject({ error: 'ROLE_MISSING' });
    await api().post('/v1/replays/rp-x/continue').set('x-api-key', KEYS.reader).send({}).expect(403);
    await api().post('/v1/replays/rp-x/cancel').set('x-api-key', KEYS.reader).expect(403);
    await api().get('/v1/replays').expect(401);
    await api().get('/v1/items/anything').expect(401);
    await api().get('/v1/replays').set('x-api-key', KEYS.reader).expect(200);
  });

  it('replays a chosen range started through the API; its items recover', async () => {
    const { before, started, view } = await rangeOne();
    expect(OperationsApi.ReplayViewSchema.parse(started)).toMatchObject({ replayId: 'api-range-1', state: 'running' });
    const n = range.items.length;
    expect(view).toMatchObject({ state: 'complete', counts: { read: n, selected: n, republished: n, alreadyReplayed: 0 }, progress: { done: n, total: n, fraction: 1 } });
    const replayed = await scenario.waitForReplayedItems('api-range-1', n);
    expect(replayed.map((event) => event.value.itemId).sort()).toEqual(range.items.map((d) => d.value.item.itemId).sort());
    expect(await scenario.workMessageCount()).toBe(before + n);
    const recovered = await waitFor(
      async () => {
        const { body } = await api().get('/v1/replays/api-range-1').set('x-api-key', KEYS.reader).expect(200);
        return body.outcome.recovered === n && (body as OperationsApi.ReplayView);
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the replayed items to recover' },
    );
    expect(recovered.outcome).toEqual({ published: n, recovered: n, failedAgain: 0, pending: 0, failing: [], waiting: [] });
  });

  it('the same request again adds no work: already replayed', async () => {
    const { before, after, view, dry, reused } = await rangeTwo();
    const n = range.items.length;
    expect(view).toMatchObject({ state: 'complete', counts: { selected: n, republished: 0, alreadyReplayed: n }, outcome: { published: 0 } });
    expect(after).toBe(before);
    expect(OperationsApi.DryRunResultSchema.parse(dry).counts).toMatchObject({ wouldReplay: 0, alreadyReplayed: n });
    expect(reused).toBe(409);
  });

  it('shows one item: its state, every attempt with its failure, its dead letter and its replay', async () => {
    await rangeOne();
    const itemId = (range.items[0] as ReadEvent<WorkAbandoned.Value>).value.item.itemId;
    const status = await waitFor(
      async () => {
        const { body } = await api().get(`/v1/items/${encodeURIComponent(itemId)}`).set('x-api-key', KEYS.reader).expect(200);
        const parsed = OperationsApi.ItemStatusSchema.parse(body);
        return parsed.status === 'succeeded' && parsed.replays[0]?.outcome === 'recovered' && parsed;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: `${itemId} recovered` },
    );
    expect(status.attempts).toHaveLength(5);
    expect(status.attempts.map((attempt) => attempt.failure.type)).toEqual(Array(5).fill('API_ERROR'));
    expect(status.deadLetters).toEqual([
      expect.objectContaining({ position: { topic: scenario.topic(TOPICS.abandoned), partition: range.partition, offset: range.from }, reason: 'MAX_ATTEMPTS', replayed: true }),
    ]);
    expect(status.replays).toEqual([expect.objectContaining({ replayId: 'api-range-1', outcome: 'recovered' })]);
    expect(status.success).toMatchObject({ replayId: 'api-range-1' });
    await api().get('/v1/items/never-seen-item').set('x-api-key', KEYS.reader).expect(404);
  });

  it('a trial republishes its sample; cancel stops the rest; continue is then refused', async () => {
    const { trial, cancelled, refused, unknown, bad } = await trialCancelled();
    expect(trial).toMatchObject({ state: 'trial', lastRun: { counts: { selected: 2, republished: 1 }, remaining: 1 } });
    expect([cancelled.status, cancelled.body.state]).toEqual([202, 'cancelled']);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('was cancelled');
    expect(unknown).toBe(404);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('there is no partition 9');
  });

  it('records every request on the replays topic (who, when, selection, outcome) and lists them', async () => {
    await rangeTwo();
    await trialCancelled();
    // The other test's replay (api-in-flight) may have run before this one: left out.
    const ours = <T extends { replayId?: string }>(entries: readonly T[]): T[] => entries.filter((entry) => entry.replayId !== 'api-in-flight');
    const reader = await new TopicReader(scenario.env.kafka(), scenario.serde, scenario.topic(TOPICS.replays), ReplayRequest, `${scenario.env.id}-replays`).start();
    try {
      const events = await waitFor(() => {
        const values = ours(reader.values());
        // 2 for range-1, 3 for range-2, 4 for the trial, the dry run, and two refusals (an unknown replay, a bad partition).
        return values.length >= 12 && values;
      }, { timeoutMs: 30_000, description: 'the replay requests on the replays topic' });
      const of = (replayId: string) => events.filter((event) => event.replayId === replayId).map((event) => `${event.action}:${event.outcome.status}`);
      expect(of('api-range-1')).toEqual(['create:accepted', 'run-ended:complete']);
      expect(of('api-range-2')).toEqual(['create:accepted', 'run-ended:complete', 'create:rejected']);
      expect(of('api-trial')).toEqual(['create:accepted', 'run-ended:trial', 'cancel:accepted', 'continue:rejected']);
      expect(events.filter((event) => event.action === 'dry-run').map((event) => event.outcome.status)).toEqual(['accepted']);
      const create = events.find((event) => event.replayId === 'api-range-1' && event.action === 'create') as ReplayRequest.Value;
      expect(create.selection).toEqual(selection());
      expect(create.resolved?.ranges).toEqual([{ partition: range.partition, from: range.from, to: range.to }]);
      expect(create.requestedBy).toEqual({ kind: 'api-key', keyId: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) });
      expect(JSON.stringify(events)).not.toContain(KEYS.operator);
      const end = events.find((event) => event.replayId === 'api-range-1' && event.action === 'run-ended') as ReplayRequest.Value;
      expect(end.outcome.counts).toMatchObject({ selected: range.items.length, republished: range.items.length });

      const listed = await api().get('/v1/replays').set('x-api-key', KEYS.reader).expect(200);
      expect(ours(OperationsApi.ReplayListSchema.parse(listed.body).replays).map((replay) => replay.replayId)).toEqual(['api-trial', 'api-range-2', 'api-range-1']);
      const one = await api().get('/v1/replays/api-trial').set('x-api-key', KEYS.reader).expect(200);
      expect(one.body.requests.map((event: ReplayRequest.Value) => event.action)).toEqual(['create', 'run-ended', 'cancel']);
      const recent = await api().get('/v1/replay-requests?limit=100').set('x-api-key', KEYS.reader).expect(200);
      expect(events).toHaveLength(12);
      expect(ours(recent.body.requests as ReplayRequest.Value[])).toHaveLength(12);
    } finally {
      await reader.stop();
    }
  });

  it('resolves dead letters another run reserved: waits for a live one, looks a dead one up in the work topic, never counts one done unseen', async () => {
    const topic = scenario.topic(TOPICS.abandoned);
    const first = scenario.firstDeadLetters();
    const inRange = new Set(range.items.map((d) => d.value.item.itemId));
    const [published, neverPublished, busy] = PORTFOLIOS.recoverable.map(itemIdOf).filter((id) => !inRange.has(id)).map((id) => first.get(id) as ReadEvent<WorkAbandoned.Value>);
    if (!published || !neverPublished || !busy) throw new Error('three recoverable dead letters outside the range are needed');
    const entry = (d: ReadEvent<WorkAbandoned.Value>) => ({ partition: d.partition, offset: d.offset, itemId: d.value.item.itemId });
    const redis = scenario.env.redis();
    const ledger = new ReplayLedger(redis, new ReplayKeys(scenario.env.redisPrefix));
    const publisher = new EventPublisher(scenario.env.kafka(), scenario.serde, createLogger({ service: 'test', level: 'warn' }));
    await publisher.connect();
    // How often the stats service's runs have asked the (real, Redis) ledger about the live run's dead
    // letter: the reservations pass through unchanged, only counted.
    const runtimeLedger = scenario.stats.get(ReplayRuntime).ledger;
    const reserve = runtimeLedger.reserve;
    let busyAsked = 0;
    runtimeLedger.reserve = (...args: Parameters<ReplayLedger['reserve']>) => {
      const [, owner, entries] = args;
      if (owner === 'api-in-flight' && entries.some((e) => e.partition === busy.partition && e.offset === busy.offset)) busyAsked++;
      return reserve.apply(runtimeLedger, args);
    };
    try {
      // A run that died ten minutes ago: it had published one of its two items, not the other.
      const longAgo = Date.now() - 600_000;
      expect((await ledger.reserve(topic, 'ghost-run', [entry(published), entry(neverPublished)], longAgo)).map((r) => r.status)).toEqual(['reserved', 'reserved']);
      const item = replayedWorkItem({ position: { topic, partition: published.partition, offset: published.offset }, value: published.value }, 'ghost-run', new Date(longAgo));
      await publisher.publish(scenario.topic(TOPICS.work), WorkItem, [{ key: item.key, value: item, headers: replayedItemHeaders(item) }]);
      // A run publishing right now.
      expect((await ledger.reserve(topic, 'live-run', [entry(busy)], Date.now()))[0]?.status).toBe('reserved');

      const before = await scenario.workMessageCount();
      const itemIds = [published, neverPublished, busy].map((d) => d.value.item.itemId);
      await api().post('/v1/replays').set('x-api-key', KEYS.operator).send({ replayId: 'api-in-flight', selection: { kind: 'dead-letters', itemIds } }).expect(202);
      await waitFor(async () => (await api().get('/v1/replays/api-in-flight').set('x-api-key', KEYS.reader)).body.phase === 'publishing', { description: 'publishing' });
      // The run has got past the other two (the one the dead run never published is on the work topic)
      // and asked about the live run's again after its first answer: it waits for it.
      await scenario.waitForReplayedItems('api-in-flight', 1);
      await waitFor(() => busyAsked >= 2, { timeoutMs: 15_000, description: "the run asking again about the live run's dead letter" });
      const waiting = (await api().get('/v1/replays/api-in-flight').set('x-api-key', KEYS.reader).expect(200)).body as OperationsApi.ReplayView;
      expect(waiting.state).toBe('running'); // the live run's dead letter is not counted as done
      const confirmedAt = Date.now();
      expect(await ledger.confirm(topic, 'live-run', [entry(busy)])).toBe(1);

      const view = await ended('api-in-flight');
      expect(view).toMatchObject({ state: 'complete', lastRun: { counts: { selected: 3, republished: 1, alreadyReplayed: 2 }, remaining: 0 } });
      // It ended only after the live run confirmed: it waited for that dead letter rather than count it done unseen.
      expect(Date.parse(view.lastRun.endedAt as string)).toBeGreaterThanOrEqual(confirmedAt);
      const replayed = await scenario.waitForReplayedItems('api-in-flight', 1);
      expect(replayed.map((event) => event.value.itemId)).toEqual([neverPublished.value.item.itemId]);
      expect(await scenario.workMessageCount()).toBe(before + 1);
      expect(await ledger.settled(topic, [published, neverPublished, busy].map(entry))).toEqual([true, true, true]);
    } finally {
      runtimeLedger.reserve = reserve;
      await publisher.disconnect();
      redis.disconnect();
    }
  });

  it('documents the operations API in the OpenAPI at /docs', async () => {
    const { body } = await api().get('/docs-json').set('x-api-key', KEYS.reader).expect(200);
    for (const path of ['/v1/replays', '/v1/replays/{id}', '/v1/replays/{id}/continue', '/v1/replays/{id}/cancel', '/v1/items/{id}', '/v1/replay-requests']) {
      expect(Object.keys(body.paths)).toContain(path);
    }
  });
});
