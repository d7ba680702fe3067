import type { FailureRecord, MinutePoint, ScopeAnswer } from '@workpipe/stats-model';

/** `GET /v1/stats` and `GET /v1/batches/:id`. */
export type StatsAnswer = ScopeAnswer;

/** `GET /v1/failures`: one page, oldest first failure first. */
export interface FailureList {
  total: number;
  offset: number;
  limit: number;
  items: FailureRecord[];
}

export type { FailureRecord, MinutePoint };
