import { OperationsApi } from '@workpipe/contracts';
import { UsageError } from '../errors/usage-error';

/** Generated ids: `rp-YYYYMMDD-HHMMSS-xxxxxx` (the stats service generates the same when none is given). */
export const generateReplayId = OperationsApi.generateReplayId;

/** @throws UsageError naming `flag` for an id the stats service would refuse (see `OperationsApi.ReplayIdSchema`) */
export function parseReplayId(text: string, flag: string, hint: string): string {
  const id = text.trim();
  if (!OperationsApi.ReplayIdSchema.safeParse(id).success) {
    throw new UsageError(
      `${flag} must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (and not "done"), got "${text}"`,
      hint,
    );
  }
  return id;
}
