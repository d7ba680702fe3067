/** One item as the stats service has materialized it (see `apply-fact.lua.ts` for the hash fields). */
export interface ItemState {
  itemId: string;
  key: string | null;
  batchId: string | null;
  workType: string | null;
  status: 'pending' | 'succeeded' | 'abandoned' | 'unknown';
  createdAt: string | null;
  /** Failed attempts over every life (the longest history seen, or the failures counted). */
  failedAttempts: number;
  lastFailure: { type: string; message: string; at: string } | null;
  /** The success that counts (the earliest). */
  success: { at: string; attempt: number; replayId?: string } | null;
}

/**
 * The state of an item from its hash fields, or undefined when nothing of it
 * was seen. Status as the stats model counts it: succeeded once any life
 * succeeded, abandoned when every life seen ended abandoned, else pending.
 */
export function itemStateOf(itemId: string, fields: Readonly<Record<string, string>>): ItemState | undefined {
  if (!fields.id) return undefined;
  const number = (name: string): number => Number(fields[name] ?? 0);
  const iso = (name: string): string | null => (fields[name] ? new Date(Number(fields[name])).toISOString() : null);
  const abandonedEpochs = number('ab');
  const status = number('sc') > 0 ? 'succeeded' : abandonedEpochs > 0 && abandonedEpochs >= number('ep') ? 'abandoned' : 'pending';
  return {
    itemId,
    key: fields.k ?? null,
    batchId: fields.b ? fields.b : null,
    workType: fields.wt ?? null,
    status,
    createdAt: iso('ca'),
    failedAttempts: Math.max(number('fc'), number('hist')),
    lastFailure: fields.lfa ? { type: fields.lft ?? 'UNKNOWN', message: fields.lfm ?? '', at: iso('lfa') as string } : null,
    success: fields.sa
      ? { at: iso('sa') as string, attempt: number('sat') || 1, ...(fields.sr ? { replayId: fields.sr } : {}) }
      : null,
  };
}

/** The success time an item hash holds (epoch ms), when it has one. */
export function successAtOf(successes: string | null, successAt: string | null): number | undefined {
  return Number(successes ?? 0) > 0 && successAt ? Number(successAt) : undefined;
}
