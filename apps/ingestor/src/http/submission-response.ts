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
