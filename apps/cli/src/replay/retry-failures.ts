import { OperationsApi } from '@workpipe/contracts';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { StatsApiClient } from '../stats-api/stats-api-client';
import { finish } from './replay';
import { followRun } from './replay-follow';
import type { RetryFailuresRequest } from './replay-options';
import { formatDryRun, formatOutcomeLines, formatRetryCandidates, verdict } from './replay-report';
import { outcomeExitCode, readReplayOutcome } from './replay-status';

/**
 * `workpipe retry-failures`: asks the stats service to replay, as one replay,
 * every abandoned item still worth retrying. The service scans the whole
 * abandoned topic, keeps the latest dead letter of each item, and drops those
 * replayed already, those whose item succeeded since, and those a replay
 * cannot fix (NOT_RETRYABLE, VALIDATION); `--max` keeps the oldest N. With
 * `--wait`, waits for the outcome and exits 0 only when every replayed item
 * recovered.
 */
export async function retryFailures(client: StatsApiClient, io: CliIo, request: RetryFailuresRequest): Promise<ExitCode> {
  const body: OperationsApi.CreateReplayBody = {
    replayId: request.replayId,
    selection: {
      kind: 'retry-failures',
      ...(request.types.length === 0 ? {} : { types: request.types }),
      ...(request.max === undefined ? {} : { max: request.max }),
    },
    dryRun: request.dryRun,
    ...(request.ratePerSecond === undefined ? {} : { ratePerSecond: request.ratePerSecond }),
    sampleLimit: OperationsApi.MAX_DRY_RUN_ROWS,
  };
  if (request.dryRun) {
    io.stderr.write('Scanning the abandoned topic ...\n');
    const result = await client.dryRun(body);
    const candidates = result.candidates as OperationsApi.RetryCandidates;
    io.stdout.write(formatRetryCandidates({ topic: result.topic, ...candidates }));
    if (result.counts.wouldReplay === 0) {
      io.stdout.write('Nothing to retry.\n');
      return EXIT_CODES.ok;
    }
    io.stdout.write(formatDryRun(result, { selectionText: `${result.topic}, chosen by retry-failures` }));
    return EXIT_CODES.ok;
  }

  io.stderr.write('Scanning the abandoned topic ...\n');
  const started = await client.createReplay(body);
  let printed = false;
  let nothing = false;
  const printCandidates = (view: OperationsApi.ReplayView): void => {
    if (printed || !view.candidates) return;
    printed = true;
    io.stdout.write(formatRetryCandidates({ topic: view.selection.topic, ...view.candidates }));
    const chosen = Math.min(view.candidates.available, view.candidates.max ?? Number.POSITIVE_INFINITY);
    if (chosen === 0) {
      nothing = true;
      io.stdout.write('Nothing to retry.\n');
    } else {
      io.stdout.write(`Replaying ${chosen} as ${started.replayId}${request.replayIdGenerated ? ' (generated id)' : ''}\n`);
    }
  };
  const ended = await followRun(client, io, started.replayId, 1, printCandidates);
  printCandidates(ended);
  if (nothing) return EXIT_CODES.ok;
  const exitCode = finish(ended, io);
  if (!request.wait) return exitCode;

  io.stderr.write(`Waiting up to ${Math.round(request.timeoutMs / 1000)} s for the outcome of ${request.replayId} ...\n`);
  const { view, timedOut } = await readReplayOutcome(client, io, { replayId: request.replayId, wait: true, timeoutMs: request.timeoutMs });
  const lines = ['', ...formatOutcomeLines(view.outcome)];
  if (timedOut && view.outcome.pending > 0) lines.push(`Stopped waiting with ${view.outcome.pending} still pending: workpipe replay-status ${request.replayId} --wait`);
  lines.push(verdict(view.outcome));
  io.stdout.write(`${lines.join('\n')}\n`);
  return outcomeExitCode(view.outcome);
}
