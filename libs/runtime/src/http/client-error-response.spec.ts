import { clientErrorAnswer, rawJsonResponse } from './client-error-response';

const http = { maxHeaderBytes: 16_384, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

describe('answers to what Node refuses before routing', () => {
  it('names the header limit and the timeouts', () => {
    expect(clientErrorAnswer('HPE_HEADER_OVERFLOW', http)).toEqual({
      statusCode: 431,
      error: 'HEADERS_TOO_LARGE',
      message: 'the request line and headers are over the limit of 16384 bytes (HTTP_MAX_HEADER_BYTES)',
    });
    expect(clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT', http)).toMatchObject({ statusCode: 408, message: expect.stringContaining('within 30000 ms') });
    expect(clientErrorAnswer('HPE_INVALID_METHOD', http)).toEqual({ statusCode: 400, error: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1 (invalid method)' });
    expect(clientErrorAnswer('ECONNRESET', http)).toBeUndefined();
  });

  it('writes a whole response with a JSON body and closes', () => {
    const text = rawJsonResponse({ statusCode: 431, error: 'HEADERS_TOO_LARGE', message: 'é' });
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(head).toContain('Connection: close');
    expect(JSON.parse(body)).toEqual({ statusCode: 431, error: 'HEADERS_TOO_LARGE', message: 'é' });
  });
});
