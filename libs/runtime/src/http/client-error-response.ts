import type { HttpSettings } from '@workpipe/config';

/** What Node's HTTP parser or its timers refused, before any route saw the request. */
interface ClientErrorAnswer {
  statusCode: number;
  error: string;
  message: string;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
};

/**
 * The answer to a `clientError` of Node's HTTP server by its error code (`HPE_HEADER_OVERFLOW`,
 * `ERR_HTTP_REQUEST_TIMEOUT`, `HPE_INVALID_*`), in the API's JSON error shape rather than Node's
 * bare status line; undefined when the client is gone (`ECONNRESET`) and nothing should be written.
 */
export function clientErrorAnswer(code: string | undefined, http: Pick<HttpSettings, 'maxHeaderBytes' | 'headersTimeoutMs' | 'requestTimeoutMs'>): ClientErrorAnswer | undefined {
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return {
        statusCode: 431,
        error: 'HEADERS_TOO_LARGE',
        message: `the request line and headers are over the limit of ${http.maxHeaderBytes} bytes (HTTP_MAX_HEADER_BYTES)`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        statusCode: 408,
        error: 'REQUEST_TIMEOUT',
        message: `the request was not received in time: its headers must arrive within ${http.headersTimeoutMs} ms and the whole request within ${http.requestTimeoutMs} ms`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { statusCode: 413, error: 'CHUNK_EXTENSIONS_TOO_LARGE', message: 'the chunk extensions of the body are too large' };
    default:
      return {
        statusCode: 400,
        error: 'MALFORMED_REQUEST',
        message: `the request is not valid HTTP/1.1${code && /^HPE_[A-Z_]+$/.test(code) ? ` (${code.slice(4).toLowerCase().replace(/_/g, ' ')})` : ''}`,
      };
  }
}

/** A whole HTTP/1.1 response carrying `answer` as JSON, written straight to the socket; the connection then closes. */
export function rawJsonResponse(answer: ClientErrorAnswer): string {
  const body = JSON.stringify(answer);
  return [
    `HTTP/1.1 ${answer.statusCode} ${REASONS[answer.statusCode] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
