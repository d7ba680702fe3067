import { describeThrown } from './describe-thrown';
import { isWorkFailureError } from './errors/work-failure-error';
import { causeChain, errorCode, errorName, rawErrorMessage } from './thrown-value';
import type { WorkFailure } from './work-failure';

/** Error codes (Node, undici, axios) that mean the downstream did not answer in time. */
export const TIMEOUT_ERROR_CODES: readonly string[] = [
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];

/** Error codes that mean the downstream could not be reached or dropped the connection. */
export const CONNECTION_ERROR_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
];

// A code is a machine-readable word (`ECONNREFUSED`, `HTTP_503`, `ERR_INVALID_URL`); anything
// else in a `code` field is not copied, since it is no code we know.
const CODE_SHAPE = /^[A-Za-z][\w.-]{0,63}$/;

/**
 * Maps anything a handler threw to a typed failure:
 *
 *   WorkFailureError (or a subclass)                        its own type, code, retryable, retryAfterMs
 *   AbortError, *Timeout* errors, ETIMEDOUT, UND_ERR_*_TIMEOUT...  TIMEOUT           retryable
 *   ECONNREFUSED, ECONNRESET, ENOTFOUND, "socket hang up"...        API_ERROR         retryable
 *   anything else (including non-Error values)                      PROCESSING_ERROR  retryable
 *
 * The error and its `cause` chain are inspected outermost first, so `fetch failed` caused by
 * ECONNREFUSED is an API_ERROR. The message is `describeThrown`'s: the chain's messages, each
 * redacted or, for errors known to quote a header value or a URL, replaced by our own wording.
 */
export function classifyThrown(error: unknown): WorkFailure {
  const chain = causeChain(error);
  const message = describeThrown(error);

  if (isWorkFailureError(error)) {
    const code = safeCode(error.code);
    return {
      type: error.type,
      message,
      ...(code === undefined ? {} : { code }),
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }

  for (const link of chain) {
    const code = safeCode(errorCode(link));
    const name = errorName(link) ?? '';
    // AbortError: our own deadline aborted the request; *Timeout*: AbortSignal.timeout, undici.
    if ((code !== undefined && TIMEOUT_ERROR_CODES.includes(code)) || name === 'AbortError' || /Timeout/.test(name)) {
      return { type: 'TIMEOUT', message, code: code ?? safeCode(name) ?? 'TIMEOUT', retryable: true };
    }
    if (code !== undefined && CONNECTION_ERROR_CODES.includes(code)) {
      return { type: 'API_ERROR', message, code, retryable: true };
    }
    if (/socket hang up/i.test(rawErrorMessage(link))) {
      return { type: 'API_ERROR', message, code: code ?? 'ECONNRESET', retryable: true };
    }
  }

  const code = safeCode(errorCode(error));
  return { type: 'PROCESSING_ERROR', message, ...(code === undefined ? {} : { code }), retryable: true };
}

function safeCode(code: string | undefined): string | undefined {
  return code !== undefined && CODE_SHAPE.test(code) ? code : undefined;
}
