import { HttpStatus } from '@nestjs/common';
import type { SubmissionResult } from '@workpipe/contracts';

/**
 * 202 when anything was accepted (the body lists what was not); when nothing
 * was: 413 if every refused item was too large for the work topic, 400 if some
 * item was invalid, else 409 (all duplicates).
 */
export function submissionStatus(result: SubmissionResult): HttpStatus {
  if (result.counts.accepted > 0) return HttpStatus.ACCEPTED;
  if (result.rejected.length > 0 && result.rejected.every((item) => item.code === 'TOO_LARGE')) return HttpStatus.PAYLOAD_TOO_LARGE;
  if (result.counts.rejected > 0) return HttpStatus.BAD_REQUEST;
  return HttpStatus.CONFLICT;
}

/** Reasons quoted in the message of a refused batch; the rest are in `rejected`. */
const QUOTED_REASONS = 3;

/**
 * The answer to `POST /v1/batches`: the per-index result, and when nothing was accepted the
 * API's error fields too (`statusCode`, `error`, `message` quoting the first reasons), so a
 * refused batch says what is wrong like every other 4xx.
 */
export function batchAnswer(result: SubmissionResult, status: HttpStatus): SubmissionResult {
  if (status === HttpStatus.ACCEPTED) return result;
  const reasons = result.rejected.slice(0, QUOTED_REASONS).map((item) => `item ${item.index}: ${item.reason}`);
  const more = result.rejected.length > QUOTED_REASONS ? `; and ${result.rejected.length - QUOTED_REASONS} more (see "rejected")` : '';
  const error = status === HttpStatus.CONFLICT ? 'ALL_DUPLICATES' : status === HttpStatus.PAYLOAD_TOO_LARGE ? 'ITEMS_TOO_LARGE' : 'INVALID_ITEMS';
  const message =
    status === HttpStatus.CONFLICT
      ? `nothing was accepted: all ${result.counts.duplicates} items were already accepted or repeat one in this batch`
      : `nothing was accepted: ${result.counts.rejected} item${result.counts.rejected === 1 ? '' : 's'} refused (${reasons.join('; ')}${more})`;
  return { statusCode: status, error, message, ...result };
}
