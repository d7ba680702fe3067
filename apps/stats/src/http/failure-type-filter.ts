import { BUILT_IN_FAILURE_TYPES, isBuiltInFailureType } from '@workpipe/contracts';
import { RequestRejectedError } from '@workpipe/runtime';
import { buildStatsView } from '@workpipe/stats-model';
import { StatsReader } from '../reading/stats-reader.service';

/**
 * The `type` filter of `/v1/failures` must name a failure type the service knows: a built-in
 * one, or a handler's own type that some failure already had. A typo (`?type=NOPE`) is a 400
 * listing the known types, never an empty page that looks like "no such failures".
 */
export class FailureTypeFilter {
  constructor(private readonly reader: StatsReader) {}

  async check(type: string | undefined): Promise<void> {
    if (type === undefined || isBuiltInFailureType(type)) return;
    const snapshot = await this.reader.snapshot();
    const view = snapshot && buildStatsView(snapshot);
    const seen = new Set([...Object.keys(view?.failures.attemptsByType ?? {}), ...Object.keys(view?.abandoned.byType ?? {})]);
    if (seen.has(type)) return;
    const custom = [...seen].filter((known) => !isBuiltInFailureType(known)).sort();
    throw new RequestRejectedError(
      400,
      'INVALID_QUERY',
      `query parameter "type": unknown failure type "${type}"; the known types are ${[...BUILT_IN_FAILURE_TYPES, ...custom].join(', ')}`,
      [{ path: 'type', message: 'unknown failure type' }],
    );
  }
}
