import { type EmptyReportPredicate, isEmptyReportBody } from './empty-report';
import { getHeader, type HttpHeaders } from './http-headers';
import { parseRateLimitHeaders } from './rate-limit-headers';
import { toFailureMessage } from './redact-secrets';
import { parseRetryAfterMs } from './retry-after';
import type { WorkFailure } from './work-failure';

/** A downstream response, as far as classification needs it. */
export interface HttpResponseSnapshot {
  /** HTTP status code, e.g. 503. */
  readonly status: number;
  /** Response headers; names are matched case-insensitively. */
  readonly headers: HttpHeaders;
  /** The whole body as text; '' when there is none. */
  readonly bodyText: string;
}

/** How to read one response. */
export interface ClassifyHttpResponseOptions {
  /**
   * Current time, epoch milliseconds: turns an HTTP-date Retry-After or an epoch
   * X-RateLimit-Reset into a delay. Required, so classification is deterministic.
   */
  readonly now: number;
  /** Whether a 2xx body is an empty report. Default {@link isEmptyReportBody}. */
  readonly isEmptyReport?: EmptyReportPredicate;
  /**
   * Whether a 2xx body must be JSON (and is returned parsed). Default: true when Content-Type is
   * JSON (`application/json`, `application/problem+json`, ...), false otherwise (the body is
   * returned as text, e.g. a CSV report).
   */
  readonly expectJson?: boolean;
}

/** A usable body, or why the attempt failed. */
export type HttpResponseClassification =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly failure: WorkFailure };

/** How much of an error body goes into the failure message: enough to recognise the error. */
export const ERROR_BODY_EXCERPT_LENGTH = 200;

/**
 * Maps a downstream response to success or a typed failure:
 *
 *   2xx, empty report (see `isEmptyReport`)       EMPTY_REPORT       retryable
 *   2xx, JSON expected but unparseable             PROCESSING_ERROR   retryable
 *   2xx otherwise                                  ok                 body parsed (JSON) or text
 *   429                                            RATE_LIMIT         retryable, retryAfterMs from
 *                                                  Retry-After, else X-RateLimit-Reset, else none
 *   401, 403                                       AUTHENTICATION     retryable (1 attempt by default)
 *   408 Request Timeout                            TIMEOUT            retryable
 *   other 4xx                                      VALIDATION         not retryable
 *   5xx                                            API_ERROR          retryable, retryAfterMs from
 *                                                  Retry-After (e.g. 503) if given
 *   1xx, 3xx, anything else                        PROCESSING_ERROR   retryable: our HTTP client
 *                                                  should have handled them
 *
 * Messages carry the status and a redacted excerpt of the body; codes are `HTTP_<status>`
 * (`INVALID_JSON` for an unparseable body).
 */
export function classifyHttpResponse(
  response: HttpResponseSnapshot,
  options: ClassifyHttpResponseOptions,
): HttpResponseClassification {
  const { status, headers, bodyText } = response;
  const code = `HTTP_${String(status)}`;
  const fail = (failure: WorkFailure): HttpResponseClassification => ({ ok: false, failure });

  if (status >= 200 && status <= 299) return classifySuccess(response, options);

  const message = errorMessage(status, bodyText);
  const retryAfterMs = parseRetryAfterMs(getHeader(headers, 'retry-after'), options.now);
  if (status === 429) {
    return fail(
      withRetryAfter(
        { type: 'RATE_LIMIT', message, code, retryable: true },
        retryAfterMs ?? retryAfterFromReset(headers, options.now),
      ),
    );
  }
  if (status === 401 || status === 403) return fail({ type: 'AUTHENTICATION', message, code, retryable: true });
  // 408 is the server giving up waiting for us: a timeout, and worth retrying, unlike other 4xx.
  if (status === 408) return fail({ type: 'TIMEOUT', message, code, retryable: true });
  if (status >= 400 && status <= 499) return fail({ type: 'VALIDATION', message, code, retryable: false });
  if (status >= 500 && status <= 599) {
    return fail(withRetryAfter({ type: 'API_ERROR', message, code, retryable: true }, retryAfterMs));
  }
  return fail({ type: 'PROCESSING_ERROR', message: `unexpected ${message}`, code, retryable: true });
}

function classifySuccess(
  { status, headers, bodyText }: HttpResponseSnapshot,
  options: ClassifyHttpResponseOptions,
): HttpResponseClassification {
  const contentType = getHeader(headers, 'content-type');
  const expectJson = options.expectJson ?? isJsonContentType(contentType);
  // Parse only what may be JSON: a multi-megabyte CSV report is not worth a failed JSON.parse.
  const firstChar = bodyText.trimStart().charAt(0);
  const worthParsing = expectJson || firstChar === '[' || firstChar === '{';
  let json: unknown;
  let parseError: string | undefined;
  if (worthParsing && bodyText.trim() !== '') {
    try {
      json = JSON.parse(bodyText);
    } catch (error) {
      parseError = (error as Error).message;
    }
  }

  const isEmptyReport = options.isEmptyReport ?? isEmptyReportBody;
  if (isEmptyReport({ bodyText, json, ...(contentType === undefined ? {} : { contentType }) })) {
    return {
      ok: false,
      failure: {
        type: 'EMPTY_REPORT',
        message: `HTTP ${String(status)} with an empty report`,
        code: `HTTP_${String(status)}`,
        retryable: true,
      },
    };
  }
  if (expectJson && parseError !== undefined) {
    return {
      ok: false,
      failure: {
        type: 'PROCESSING_ERROR',
        message: toFailureMessage(`HTTP ${String(status)} body is not valid JSON: ${parseError}`),
        code: 'INVALID_JSON',
        retryable: true,
      },
    };
  }
  return { ok: true, body: expectJson ? json : bodyText };
}

/** `application/json`, `text/json`, `application/problem+json`, with or without parameters. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return /^[\w.-]+\/(?:[\w.-]+\+)?json$/.test(mediaType);
}

function errorMessage(status: number, bodyText: string): string {
  const excerpt = toFailureMessage(bodyText, ERROR_BODY_EXCERPT_LENGTH);
  return toFailureMessage(excerpt === '' ? `HTTP ${String(status)}` : `HTTP ${String(status)}: ${excerpt}`);
}

function retryAfterFromReset(headers: HttpHeaders, nowMs: number): number | undefined {
  const { resetAtMs } = parseRateLimitHeaders(headers, nowMs);
  return resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - nowMs);
}

function withRetryAfter(failure: WorkFailure, retryAfterMs: number | undefined): WorkFailure {
  return retryAfterMs === undefined ? failure : { ...failure, retryAfterMs };
}
