import { describeThrown } from './describe-thrown';
import { ValidationError } from './errors/validation-error';

const SECRET = 'PLANTEDs3cr3t';

describe('describeThrown: errors that quote what they failed on get our own wording', () => {
  it('never quotes an invalid header value (fetch)', () => {
    const error = new TypeError(`Headers.append: "Bearer ${SECRET}\r\nX-Injected: 1" is an invalid header value.`);
    expect(describeThrown(error)).toBe('a request header has an invalid name or value (not shown)');
  });

  it('never quotes an invalid header name or a non-Latin-1 value', () => {
    expect(describeThrown(new TypeError(`Headers.append: "${SECRET} x" is an invalid header name.`))).not.toContain(SECRET);
    const byteString = new TypeError('Cannot convert argument to a ByteString because the character at index 3 has a value of 8364 which is greater than 255.');
    expect(describeThrown(byteString)).toBe('a request header has an invalid name or value (not shown)');
  });

  it('never quotes a node:http header value', () => {
    const error = Object.assign(new TypeError(`Invalid value "${SECRET}" for header "x-api-key"`), {
      code: 'ERR_HTTP_INVALID_HEADER_VALUE',
    });
    expect(describeThrown(error)).toBe('a request header has an invalid name or value (not shown)');
  });

  it('never quotes a URL fetch refused or could not parse', () => {
    const credentials = new TypeError(`Request cannot be constructed from a URL that includes credentials: https://u:${SECRET}@h/x`);
    expect(describeThrown(credentials)).toBe('the request URL includes credentials, which fetch refuses (URL not shown)');
    const cause = Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input: `http://h x/?t=${SECRET}` });
    expect(describeThrown(new TypeError(`Failed to parse URL from http://h x/?t=${SECRET}`, { cause }))).toBe(
      'the request URL is not a valid URL (not shown)',
    );
  });
});

describe('describeThrown: other messages are redacted and bounded', () => {
  it('joins the cause chain without repeating a cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' });
    expect(describeThrown(new TypeError('fetch failed', { cause }))).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:8080');
  });

  it('removes double-quoted text and the value after "Received" from an unknown error', () => {
    expect(describeThrown(new Error(`relation "${SECRET}" does not exist`))).toBe('relation "[REDACTED]" does not exist');
    expect(describeThrown(new TypeError(`The "path" argument must be of type string. Received type number (${SECRET})`))).toBe(
      'The "[REDACTED]" argument must be of type string. Received type number [REDACTED]',
    );
    expect(describeThrown(new TypeError(`The argument 'x' is invalid. Received '${SECRET}'`))).not.toContain(SECRET);
  });

  it('keeps our own quoted wording (a WorkFailureError), redacted', () => {
    expect(describeThrown(new ValidationError('payload field "id" is required'))).toBe('payload field "id" is required');
    expect(describeThrown(new ValidationError(`GET https://h/r?sig=${SECRET}`))).toBe('GET https://h/r?sig=[REDACTED]');
  });

  it('redacts the cause of our own error like any unknown message', () => {
    const error = new ValidationError('bad answer', { cause: new SyntaxError(`Unexpected token 'P', "${SECRET}" is not valid JSON`) });
    expect(describeThrown(error)).not.toContain(SECRET);
  });

  it('redacts the secrets of a JSON value thrown as it is', () => {
    expect(describeThrown({ reason: 'x', apiKey: SECRET })).toBe('{"reason":"x","apiKey":"[REDACTED]"}');
  });

  it('is bounded', () => {
    expect(describeThrown(new Error('y'.repeat(10_000)), 80)).toHaveLength(80);
  });
});
