import type { OperationsApi } from '@workpipe/contracts';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { StatsApiClient } from '../stats-api/stats-api-client';
import { formatReplayStatus, formatWaitProgress } from './replay-report';

/** Pause between two looks at the outcome while waiting, in milliseconds. */
export const STATUS_POLL_INTERVAL_MS = 2_000;

/** How to read a replay's outcome. */
export interface OutcomeQuery {
  replayId: string;
  /** Poll until nothing is pending (and the replay is not running) or `timeoutMs` passed. */
  wait: boolean;
  /** Longest wait, in milliseconds. */
  timeoutMs: number;
}

/**
 * The replay and the outcome of its items (recovered, still failing, pending)
 * as the stats service has read them from the succeeded and abandoned topics.
 * With `wait`, polls (a progress line on stderr whenever the tally changes)
 * until nothing is pending or the timeout.
 */
export async function readReplayOutcome(
  client: StatsApiClient,
  io: Pick<CliIo, 'stderr' | 'now' | 'sleep'>,
  query: OutcomeQuery,
): Promise<{ view: OperationsApi.ReplayView; timedOut: boolean }> {
  const deadline = io.now() + (query.wait ? query.timeoutMs : 0);
  let lastLine = '';
  for (;;) {
    const view = await client.replay(query.replayId);
    if (!query.wait) return { view, timedOut: false };
    const line = formatWaitProgress(view.outcome);
    if (line !== lastLine) io.stderr.write(line);
    lastLine = line;
    if (view.outcome.pending === 0 && view.state !== 'running') return { view, timedOut: false };
    const left = deadline - io.now();
    if (left <= 0) return { view, timedOut: true };
    await io.sleep(Math.min(STATUS_POLL_INTERVAL_MS, left));
  }
}

/** `workpipe replay-status`: prints the replay and the outcome; 0 when every replayed item recovered, else 1. */
export async function showReplayStatus(client: StatsApiClient, io: CliIo, query: OutcomeQuery): Promise<ExitCode> {
  const { view, timedOut } = await readReplayOutcome(client, io, query);
  io.stdout.write(formatReplayStatus(view, timedOut));
  return outcomeExitCode(view.outcome);
}

export function outcomeExitCode(outcome: OperationsApi.ReplayOutcome): ExitCode {
  return outcome.recovered >= outcome.published ? EXIT_CODES.ok : EXIT_CODES.rejected;
}
