import type { OperationsApi, ReplayRequest } from '@workpipe/contracts';

type ReplayCounts = OperationsApi.ReplayCounts;

/** How long a replay's record (and its lists) is kept after its last change: 30 days, in milliseconds. The ledger is kept forever. */
export const REPLAY_RECORD_RETENTION_MS = 30 * 86_400_000;

export const EMPTY_COUNTS: ReplayCounts = Object.freeze({
  read: 0,
  selected: 0,
  republished: 0,
  alreadyReplayed: 0,
  skippedByFilter: 0,
  superseded: 0,
  undecodable: 0,
});

/** The latest run of a replay, as recorded. */
export interface RunRecord {
  run: number;
  startedAt: string;
  endedAt?: string;
  pacing: OperationsApi.Pacing;
  /** This run's counts (`republished`: this run's). */
  counts: ReplayCounts;
  earlier: number;
  remaining: number;
  undecodable: string[];
  error?: string;
}

/** A replay as recorded in Redis (`replay:<id>`). */
export interface ReplayRecord {
  replayId: string;
  createdAt: string;
  updatedAt: string;
  state: OperationsApi.ReplayState;
  phase?: OperationsApi.ReplayPhase;
  runs: number;
  requestedBy: ReplayRequest.Requester;
  selection: OperationsApi.ResolvedSelection;
  selectionText: string;
  /** The latest run's counts, but `republished`: over all runs. */
  counts: ReplayCounts;
  lastRun: RunRecord;
  candidates?: OperationsApi.RetryCandidates;
  /** The latest-per-item index (replay) or the chosen set (retry-failures) is built. */
  chosen: boolean;
  /** Items recovered and failed again (kept by the outcome consumer). */
  recovered: number;
  failedAgain: number;
  cancelRequested: boolean;
}
