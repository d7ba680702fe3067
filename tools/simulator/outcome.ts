import { z } from 'zod';

/**
 * Everything the simulator can answer for one report call. `ok` is the only
 * success; the others are the faults the processor has to classify:
 *
 * | outcome        | HTTP                                  | processor failure type |
 * |----------------|---------------------------------------|------------------------|
 * | `ok`           | 200, report with rows                 | (success)              |
 * | `server_error` | 500, JSON error body                  | API_ERROR              |
 * | `timeout`      | no answer for `timeoutHoldMs`, then 504 | TIMEOUT              |
 * | `rate_limited` | 429, `Retry-After`, `X-RateLimit-*`   | RATE_LIMIT             |
 * | `empty_report` | 200, report with `rows: []`           | EMPTY_REPORT           |
 * | `unauthorized` | 401, JSON error body                  | AUTHENTICATION         |
 * | `malformed`    | 200, body that is not valid JSON      | PROCESSING_ERROR       |
 * | `bad_request`  | 400, JSON error body                  | VALIDATION             |
 */
export const OUTCOMES = [
  'ok',
  'server_error',
  'timeout',
  'rate_limited',
  'empty_report',
  'unauthorized',
  'malformed',
  'bad_request',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

export const OutcomeSchema = z.enum(OUTCOMES);

/** The outcomes that are failures, i.e. every outcome but `ok`. */
export const FAULTS = OUTCOMES.filter((outcome): outcome is Exclude<Outcome, 'ok'> => outcome !== 'ok');

export type Fault = Exclude<Outcome, 'ok'>;

export const FaultSchema = z.enum(FAULTS as [Fault, ...Fault[]]);

export function isFault(outcome: Outcome): outcome is Fault {
  return outcome !== 'ok';
}
