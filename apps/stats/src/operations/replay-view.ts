import type { OperationsApi, ReplayRequest } from '@workpipe/contracts';
import { runProgress, type ReplayRecord } from '@workpipe/replay';

/** The API's view of a recorded replay, its outcome and its requests. */
export function replayViewOf(record: ReplayRecord, outcome: OperationsApi.ReplayOutcome, requests: ReplayRequest.Value[]): OperationsApi.ReplayView {
  const { lastRun } = record;
  const selectionKnown = record.state !== 'running' || record.phase === 'publishing';
  return {
    replayId: record.replayId,
    state: record.state,
    ...(record.phase ? { phase: record.phase } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    requestedBy: record.requestedBy,
    runs: Math.max(1, record.runs),
    selection: record.selection,
    selectionText: record.selectionText,
    counts: record.counts,
    lastRun: {
      run: Math.max(1, lastRun.run),
      state: record.state,
      startedAt: lastRun.startedAt,
      ...(lastRun.endedAt ? { endedAt: lastRun.endedAt } : {}),
      pacing: lastRun.pacing,
      counts: lastRun.counts,
      earlier: lastRun.earlier,
      remaining: lastRun.remaining,
      undecodable: lastRun.undecodable,
      ...(lastRun.error ? { error: lastRun.error } : {}),
    },
    ...(record.candidates ? { candidates: record.candidates } : {}),
    outcome,
    progress: runProgress({
      selected: selectionKnown ? record.counts.selected : undefined,
      republished: lastRun.counts.republished,
      earlier: lastRun.earlier,
      alreadyReplayed: lastRun.counts.alreadyReplayed,
      complete: record.state === 'complete',
    }),
    requests,
  };
}
