import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { OperationsApi, type ReplayRequest } from '@workpipe/contracts';
import type { Logger } from '@workpipe/logging';
import { EMPTY_COUNTS, ReplayConflictError, ReplayNotFoundError, SelectionError, describeSelection, type ReplayRecord } from '@workpipe/replay';
import { InjectRootLogger } from '@workpipe/runtime';
import { ReplayAudit, type RequestEvent } from './replay-audit';
import { ReplayRuntime } from './replay-runtime';
import { replayViewOf } from './replay-view';

/** How long a run's lease lasts without renewal, in milliseconds: an instance that dies lets go of its replays this fast. */
export const LEASE_TTL_MS = 30_000;
/** How often a running replay renews its lease, in milliseconds. */
export const LEASE_RENEW_MS = 10_000;
/** How often an instance looks for replays left running by a process that died, in milliseconds. */
export const ORPHAN_CHECK_MS = 30_000;
/** Longest a stopping instance waits for its runs to record where they are, in milliseconds. */
const STOP_WAIT_MS = 10_000;

type Pacing = OperationsApi.Pacing;

/**
 * Runs replays in the background of the stats service and answers for them:
 * a run holds the replay's lease in Redis (renewed while it runs), so one
 * instance runs a replay at a time; a replay left `running` by a process that
 * died (its lease expired) is resumed by the next instance that looks, and a
 * stopping instance leaves its runs `running` to be resumed. Every request,
 * accepted or refused, is recorded by {@link ReplayAudit} before it is acted on.
 */
@Injectable()
export class ReplayJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly active = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger: Logger;
  private orphanTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly runtime: ReplayRuntime,
    private readonly audit: ReplayAudit,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'replay-jobs' });
  }

  onApplicationBootstrap(): void {
    this.orphanTimer = setInterval(() => void this.resumeOrphans(), ORPHAN_CHECK_MS);
    this.orphanTimer.unref();
    setTimeout(() => void this.resumeOrphans(), 1_000).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.orphanTimer);
    for (const { abort } of this.active.values()) abort.abort(new Error('the stats service is stopping'));
    const all = Promise.allSettled([...this.active.values()].map(({ done }) => done));
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
  }

  /** `POST /v1/replays`: a dry run (answered now) or a new replay (started, answered with its view). */
  async create(
    body: OperationsApi.CreateReplayBody,
    requestedBy: ReplayRequest.Requester,
  ): Promise<{ kind: 'dry-run'; result: OperationsApi.DryRunResult } | { kind: 'started'; view: OperationsApi.ReplayView }> {
    const pacing = pacingOf(body);
    const base: Omit<RequestEvent, 'outcome'> = {
      action: body.dryRun ? 'dry-run' : 'create',
      ...(body.replayId === undefined || body.dryRun ? {} : { replayId: body.replayId }),
      requestedBy,
      selection: body.selection,
      pacing: { dryRun: body.dryRun, ...pacing },
    };
    let resolved: OperationsApi.ResolvedSelection;
    try {
      resolved = await this.runtime.resolver.resolve(body.selection, body.asked);
    } catch (error) {
      if (error instanceof SelectionError) await this.audit.rejected(base, error.message);
      throw error;
    }
    if (body.dryRun) {
      const result = await this.runtime.runner.dryRun(resolved, { pacing, sampleLimit: body.sampleLimit });
      await this.audit.record({ ...base, resolved, outcome: { status: 'accepted', counts: dryRunCounts(result) } });
      return { kind: 'dry-run', result };
    }
    const now = new Date();
    const replayId = body.replayId ?? OperationsApi.generateReplayId(now.getTime(), Math.random);
    if (await this.runtime.records.get(replayId)) {
      const message = `a replay "${replayId}" exists already; continue it, or choose another replay id`;
      await this.audit.rejected({ ...base, replayId }, message);
      throw new ReplayConflictError(replayId, message);
    }
    const record = newRecord(replayId, resolved, pacing, requestedBy, now);
    await this.audit.record({ ...base, replayId, resolved, outcome: { status: 'accepted' } }, now);
    if (!(await this.runtime.records.create(record))) {
      throw new ReplayConflictError(replayId, `a replay "${replayId}" exists already; continue it, or choose another replay id`);
    }
    await this.start(replayId, pacing, requestedBy);
    return { kind: 'started', view: await this.view(replayId, 0) };
  }

  /** `POST /v1/replays/:id/continue`: the stored selection again; a dry run is answered now. */
  async continue(
    replayId: string,
    body: OperationsApi.ContinueReplayBody,
    requestedBy: ReplayRequest.Requester,
  ): Promise<{ kind: 'dry-run'; result: OperationsApi.DryRunResult } | { kind: 'started'; view: OperationsApi.ReplayView }> {
    const pacing = pacingOf(body);
    const base: Omit<RequestEvent, 'outcome'> = { action: body.dryRun ? 'dry-run' : 'continue', replayId, requestedBy, pacing: { dryRun: body.dryRun, ...pacing } };
    const record = await this.runtime.records.get(replayId);
    if (!record) {
      const error = new ReplayNotFoundError(replayId);
      await this.audit.rejected(base, error.message);
      throw error;
    }
    if (body.dryRun) {
      const result = await this.runtime.runner.dryRun(record.selection, { pacing, sampleLimit: body.sampleLimit, record });
      await this.audit.record({ ...base, resolved: record.selection, outcome: { status: 'accepted', counts: dryRunCounts(result) } });
      return { kind: 'dry-run', result };
    }
    const refusal =
      record.state === 'running' || this.active.has(replayId)
        ? `replay ${replayId} is running; wait for it to end, or cancel it`
        : record.state === 'cancelled'
          ? `replay ${replayId} was cancelled; start a new replay instead`
          : undefined;
    if (refusal) {
      await this.audit.rejected(base, refusal);
      throw new ReplayConflictError(replayId, refusal);
    }
    await this.audit.record({ ...base, outcome: { status: 'accepted' } });
    await this.start(replayId, pacing, requestedBy);
    return { kind: 'started', view: await this.view(replayId, 0) };
  }

  /** `POST /v1/replays/:id/cancel`: a running replay stops after its current batch; a trial or an interrupted one is cancelled now. */
  async cancel(replayId: string, requestedBy: ReplayRequest.Requester): Promise<OperationsApi.ReplayView> {
    const base: Omit<RequestEvent, 'outcome'> = { action: 'cancel', replayId, requestedBy };
    const record = await this.runtime.records.get(replayId);
    if (!record) {
      const error = new ReplayNotFoundError(replayId);
      await this.audit.rejected(base, error.message);
      throw error;
    }
    if (record.state === 'complete') {
      const message = `replay ${replayId} is complete; there is nothing left to cancel`;
      await this.audit.rejected(base, message);
      throw new ReplayConflictError(replayId, message);
    }
    await this.audit.record({ ...base, outcome: { status: 'accepted' } });
    const now = new Date();
    await this.runtime.records.requestCancel(replayId, now);
    if (record.state !== 'running') await this.runtime.records.setState(replayId, 'cancelled', now);
    return this.view(replayId, 20);
  }

  /** `GET /v1/replays/:id`. */
  async view(replayId: string, list: number): Promise<OperationsApi.ReplayView> {
    const { records, outcomes } = this.runtime;
    const record = await records.get(replayId);
    if (!record) throw new ReplayNotFoundError(replayId);
    const [outcome, requests] = await Promise.all([
      outcomes.read(replayId, { published: record.counts.republished, recovered: record.recovered, failedAgain: record.failedAgain }, list),
      records.requests(replayId),
    ]);
    return replayViewOf(record, outcome, requests);
  }

  /** `GET /v1/replays`: newest first. */
  async list(offset: number, limit: number): Promise<OperationsApi.ReplayList> {
    const { total, records } = await this.runtime.records.list(offset, limit);
    const replays = await Promise.all(
      records.map(async (record) => {
        const outcome = await this.runtime.outcomes.read(record.replayId, { published: record.counts.republished, recovered: record.recovered, failedAgain: record.failedAgain }, 0);
        const { requests: _requests, ...view } = replayViewOf(record, outcome, []);
        return view;
      }),
    );
    return { total, offset, limit, replays };
  }

  /** Takes the lease, shows the replay running, and runs it in the background. */
  private async start(replayId: string, pacing: Pacing, requestedBy: ReplayRequest.Requester): Promise<void> {
    const { records } = this.runtime;
    if (this.stopping) throw new ReplayConflictError(replayId, 'the stats service is stopping; ask again in a moment');
    if (!(await records.acquireLease(replayId, this.instance, LEASE_TTL_MS))) {
      throw new ReplayConflictError(replayId, `replay ${replayId} is being run by another stats instance`);
    }
    await records.setState(replayId, 'running', new Date());
    const abort = new AbortController();
    const done = this.runHeld(replayId, pacing, requestedBy, abort).finally(() => this.active.delete(replayId));
    this.active.set(replayId, { abort, done });
  }

  private async runHeld(replayId: string, pacing: Pacing, requestedBy: ReplayRequest.Requester, abort: AbortController): Promise<void> {
    const { records, runner } = this.runtime;
    const renew = setInterval(() => {
      void records.renewLease(replayId, this.instance, LEASE_TTL_MS).then(
        (held) => {
          if (!held) abort.abort(new Error('the lease was lost'));
        },
        (error: Error) => this.logger.warn({ replayId, err: error.message }, 'could not renew the lease'),
      );
    }, LEASE_RENEW_MS);
    try {
      const result = await runner.run(replayId, pacing, abort.signal);
      this.logger.info({ replayId, state: result.state, counts: result.tally.counts() }, 'replay run ended');
      if (result.state !== 'running') {
        await this.audit
          .record({
            action: 'run-ended',
            replayId,
            requestedBy,
            outcome: { status: result.state, ...(result.error ? { message: result.error.message.slice(0, 2000) } : {}), counts: result.tally.counts() },
          })
          .catch((error: Error) => this.logger.warn({ replayId, err: error.message }, 'could not record the end of a run'));
      }
    } catch (error) {
      this.logger.error({ replayId, err: error }, 'replay run failed');
    } finally {
      clearInterval(renew);
      await records.releaseLease(replayId, this.instance).catch(() => undefined);
    }
  }

  /** Resumes replays left `running` whose lease expired (their process died). */
  private async resumeOrphans(): Promise<void> {
    if (this.stopping) return;
    try {
      for (const replayId of await this.runtime.records.runningIds()) {
        if (this.active.has(replayId) || this.stopping) continue;
        const record = await this.runtime.records.get(replayId);
        // Just created or continued (its run is being started), or a live run elsewhere (its lease).
        if (!record || Date.now() - Date.parse(record.updatedAt) < LEASE_TTL_MS) continue;
        const { pacing } = record.lastRun;
        const trialLeft = pacing.trial === undefined ? undefined : pacing.trial - record.lastRun.counts.republished;
        if (trialLeft !== undefined && trialLeft <= 0) {
          await this.runtime.records.setState(replayId, 'trial', new Date());
          continue;
        }
        try {
          await this.start(replayId, { ...pacing, ...(trialLeft === undefined ? {} : { trial: trialLeft }) }, record.requestedBy);
          this.logger.warn({ replayId }, 'resuming a replay whose run stopped with its process');
        } catch (error) {
          if (!(error instanceof ReplayConflictError)) throw error;
        }
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not look for replays to resume');
    }
  }
}

function pacingOf(body: { ratePerSecond?: number; trial?: number }): Pacing {
  return { ...(body.ratePerSecond === undefined ? {} : { ratePerSecond: body.ratePerSecond }), ...(body.trial === undefined ? {} : { trial: body.trial }) };
}

function dryRunCounts(result: OperationsApi.DryRunResult): Partial<OperationsApi.ReplayCounts> {
  const { read, wouldReplay, alreadyReplayed, skippedByFilter, superseded, undecodable } = result.counts;
  return { read, selected: wouldReplay + alreadyReplayed, alreadyReplayed, skippedByFilter, superseded, undecodable };
}

function newRecord(replayId: string, selection: OperationsApi.ResolvedSelection, pacing: Pacing, requestedBy: ReplayRequest.Requester, now: Date): ReplayRecord {
  const at = now.toISOString();
  return {
    replayId,
    createdAt: at,
    updatedAt: at,
    state: 'running',
    phase: 'selecting',
    runs: 0,
    requestedBy,
    selection,
    selectionText: describeSelection(selection),
    counts: { ...EMPTY_COUNTS },
    lastRun: { run: 0, startedAt: at, pacing, counts: { ...EMPTY_COUNTS }, earlier: 0, remaining: 0, undecodable: [] },
    chosen: false,
    recovered: 0,
    failedAgain: 0,
    cancelRequested: false,
  };
}
