import type { FailureRecord, FailureStatus } from '@workpipe/stats-model';

export type { FailureRecord };

/** Item hash fields a failure row is built from (see `apply-fact.lua.ts`). */
export const FAILURE_FIELDS = ['id', 'k', 'b', 'wt', 'ca', 'ep', 'ab', 'fc', 'hist', 'ffa', 'lfa', 'lft', 'lfm', 'sc', 'ar', 'at', 'am', 'aa'] as const;

/** A failure row from the item hash fields, or undefined if the item is no longer a failure. */
export function failureRecordOf(values: readonly (string | null)[]): FailureRecord | undefined {
  const f = Object.fromEntries(FAILURE_FIELDS.map((name, i) => [name, values[i] ?? null])) as Record<
    (typeof FAILURE_FIELDS)[number],
    string | null
  >;
  if (!f.id) return undefined;
  const successes = Number(f.sc ?? 0);
  const abandonedEpochs = Number(f.ab ?? 0);
  const epochs = Number(f.ep ?? 0);
  const failed = Number(f.fc ?? 0) > 0 || Number(f.hist ?? 0) > 0 || abandonedEpochs > 0;
  let status: FailureStatus;
  if (successes > 0) return undefined;
  if (abandonedEpochs > 0 && abandonedEpochs >= epochs) status = 'abandoned';
  else if (failed) status = 'retryable';
  else return undefined;
  return {
    itemId: f.id,
    key: f.k ?? '',
    batchId: f.b ? f.b : null,
    workType: f.wt ?? '',
    status,
    lastFailureType: (status === 'abandoned' ? f.at : (f.lft ?? f.at)) ?? 'UNKNOWN',
    lastFailureMessage: f.lfm,
    attempts: Math.max(Number(f.fc ?? 0), Number(f.hist ?? 0)),
    createdAt: iso(f.ca) as string,
    firstFailureAt: iso(f.ffa),
    lastFailureAt: iso(f.lfa),
    abandonReason: status === 'abandoned' ? f.ar : null,
    abandonDetail: status === 'abandoned' ? f.am : null,
    abandonedAt: status === 'abandoned' ? iso(f.aa) : null,
  };
}

function iso(ms: string | null): string | null {
  return ms ? new Date(Number(ms)).toISOString() : null;
}
