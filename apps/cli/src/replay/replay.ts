import { OperationsApi } from '@workpipe/contracts';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { StatsApiClient } from '../stats-api/stats-api-client';
import { ReplayInterruptedError } from './errors/replay-interrupted-error';
import { followRun } from './replay-follow';
import type { NewReplayRequest, ReplayPacing, ReplayRequest } from './replay-options';
import { formatDryRun, formatReplaySummary, summaryOf } from './replay-report';

/**
 * `workpipe replay`: asks the stats service to replay a selection (or to list
 * it, `--dry-run`), or to run a stored one again (`--continue`), then follows
 * the run to its end and prints the summary. The selection is resolved by the
 * service (the topic's partitions and watermarks now, `--since/--until`
 * through the brokers' time index), so `--continue` reads exactly the same
 * dead letters.
 */
export async function replay(client: StatsApiClient, io: CliIo, request: ReplayRequest): Promise<ExitCode> {
  if (request.kind === 'continue') {
    const pacing = pacingOf(request);
    if (request.dryRun) {
      const result = await client.dryRunContinue(request.replayId, { ...pacing, sampleLimit: OperationsApi.MAX_DRY_RUN_ROWS });
      io.stdout.write(formatDryRun(result, pacing.trial === undefined ? {} : { trial: pacing.trial }));
      return result.counts.undecodable > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;
    }
    const before = await client.replay(request.replayId, 0);
    io.stderr.write(`Continuing replay ${before.replayId} (${before.state}, ${before.counts.republished} republished so far, created ${before.createdAt})\n`);
    const view = await client.continueReplay(request.replayId, pacing);
    return finish(await followRun(client, io, view.replayId, before.runs + 1), io);
  }

  const body = createBody(request);
  if (request.dryRun) {
    const result = await client.dryRun(body);
    io.stdout.write(formatDryRun(result, request.trial === undefined ? {} : { trial: request.trial }));
    return result.counts.undecodable > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;
  }
  io.stderr.write(`Replay id: ${request.replayId}${request.replayIdGenerated ? ' (generated)' : ''}\n`);
  const view = await client.createReplay(body);
  io.stderr.write(`Reading ${view.selectionText} ...\n`);
  return finish(await followRun(client, io, view.replayId, 1), io);
}

/** The summary of a run that ended; an interrupted one is an error (exit 3, with how to resume). */
export function finish(view: OperationsApi.ReplayView, io: Pick<CliIo, 'stdout'>): ExitCode {
  if (view.state === 'interrupted') {
    throw new ReplayInterruptedError(view.replayId, view.lastRun.counts.republished, view.lastRun.error ?? 'the run stopped');
  }
  io.stdout.write(formatReplaySummary(summaryOf(view)));
  return view.lastRun.counts.undecodable > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;
}

/** `POST /v1/replays` for the flags of a new replay. */
export function createBody(request: NewReplayRequest): OperationsApi.CreateReplayBody {
  const { filter } = request;
  return {
    replayId: request.replayId,
    selection: {
      kind: 'dead-letters',
      ...(request.topic === undefined ? {} : { topic: request.topic }),
      ...(request.partitions === undefined ? {} : { partitions: request.partitions }),
      ...(request.fromOffset === undefined ? {} : { fromOffset: request.fromOffset.toString() }),
      ...(request.toOffset === undefined ? {} : { toOffset: request.toOffset.toString() }),
      ...(filter.sinceMs === undefined ? {} : { since: new Date(filter.sinceMs).toISOString() }),
      ...(filter.untilMs === undefined ? {} : { until: new Date(filter.untilMs).toISOString() }),
      ...(filter.types.length === 0 ? {} : { types: [...filter.types] }),
      ...(filter.reasons.length === 0 ? {} : { reasons: [...filter.reasons] }),
    },
    dryRun: request.dryRun,
    ...pacingOf(request),
    sampleLimit: OperationsApi.MAX_DRY_RUN_ROWS,
    asked: request.asked,
  };
}

function pacingOf(pacing: ReplayPacing): OperationsApi.Pacing {
  return {
    ...(pacing.ratePerSecond === undefined ? {} : { ratePerSecond: pacing.ratePerSecond }),
    ...(pacing.trial === undefined ? {} : { trial: pacing.trial }),
  };
}
