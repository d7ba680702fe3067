import { isWorkFailureError } from './errors/work-failure-error';
import { toFailureMessage } from './redact-secrets';
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

// fetch wraps the real reason in `cause` ("fetch failed" → ECONNREFUSED); a few levels suffice
// and the bound protects against a cause cycle.
const MAX_CAUSE_DEPTH = 5;

/**
 * Maps anything a handler threw to a typed failure:
 *
 *   WorkFailureError (or a subclass)                        its own type, code, retryable, retryAfterMs
 *   AbortError, *Timeout* errors, ETIMEDOUT, UND_ERR_*_TIMEOUT...  TIMEOUT           retryable
 *   ECONNREFUSED, ECONNRESET, ENOTFOUND, "socket hang up"...        API_ERROR         retryable
 *   anything else (including non-Error values)                      PROCESSING_ERROR  retryable
 *
 * The error and its `cause` chain are inspected outermost first, so `fetch failed` caused by
 * ECONNREFUSED is an API_ERROR. The message joins the chain's messages, without credentials
 * (see `redactSecrets`).
 */
export function classifyThrown(error: unknown): WorkFailure {
  const chain = causeChain(error);
  const message = toFailureMessage(chainMessage(chain));

  if (isWorkFailureError(error)) {
    return {
      type: error.type,
      message,
      ...(error.code === undefined ? {} : { code: error.code }),
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }

  for (const link of chain) {
    const code = errorCode(link);
    const name = errorName(link) ?? '';
    // AbortError: our own deadline aborted the request; *Timeout*: AbortSignal.timeout, undici.
    if ((code !== undefined && TIMEOUT_ERROR_CODES.includes(code)) || name === 'AbortError' || /Timeout/.test(name)) {
      return { type: 'TIMEOUT', message, code: code ?? name, retryable: true };
    }
    if (code !== undefined && CONNECTION_ERROR_CODES.includes(code)) {
      return { type: 'API_ERROR', message, code, retryable: true };
    }
    if (/socket hang up/i.test(errorMessage(link))) {
      return { type: 'API_ERROR', message, code: code ?? 'ECONNRESET', retryable: true };
    }
  }

  const code = errorCode(error);
  return { type: 'PROCESSING_ERROR', message, ...(code === undefined ? {} : { code }), retryable: true };
}

/** The value, its causes, and for an AggregateError (Node's happy-eyeballs connect) its errors. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < MAX_CAUSE_DEPTH && !chain.includes(current)) {
    chain.push(current);
    if (current instanceof AggregateError) chain.push(...current.errors.slice(0, MAX_CAUSE_DEPTH));
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

function chainMessage(chain: unknown[]): string {
  const messages: string[] = [];
  for (const link of chain) {
    const text = errorMessage(link);
    // fetch's "fetch failed: connect ECONNREFUSED ..." reads better than either part alone, but
    // a wrapper that repeats its cause's message should not say it twice.
    if (text !== '' && !messages.some((seen) => seen.includes(text))) messages.push(text);
  }
  return messages.length > 0 ? messages.join(': ') : 'unknown error';
}

function errorMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === 'object' && value !== null) {
    const { message } = value as { message?: unknown };
    if (typeof message === 'string') return message;
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code } = value as { code?: unknown };
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function errorName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name } = value as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}
