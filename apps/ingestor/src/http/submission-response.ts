import { HttpStatus } from '@nestjs/common';
import type { SubmissionResult } from '@workpipe/contracts';

/**
 * 202 when anything was accepted (the body lists what was not); when nothing
 * was: 400 if some item was invalid, else 409 (all duplicates).
 */
export function submissionStatus(result: SubmissionResult): HttpStatus {
  if (result.counts.accepted > 0) return HttpStatus.ACCEPTED;
  if (result.counts.rejected > 0) return HttpStatus.BAD_REQUEST;
  return HttpStatus.CONFLICT;
}
