import { boundForRedaction, redactSecrets, toFailureMessage } from './redact-secrets';

describe('redactSecrets', () => {
  it.each([
    ['https://user:pass@api.example.com/x', 'https://api.example.com/x'],
    ['postgres://user@db:5432/app', 'postgres://db:5432/app'],
    // Every query value, whatever its name: a signed URL's `sig` is as secret as a `token`.
    ['GET /r?token=abc&page=2', 'GET /r?token=[REDACTED]&page=[REDACTED]'],
    ['GET /r?page=2&api_key=abc#top', 'GET /r?page=[REDACTED]&api_key=[REDACTED]#[REDACTED]'],
    ['/r?apiKey=a&client_secret=b&password=c', '/r?apiKey=[REDACTED]&client_secret=[REDACTED]&password=[REDACTED]'],
    ['/r?X-Amz-Signature=abc&sessionId=9', '/r?X-Amz-Signature=[REDACTED]&sessionId=[REDACTED]'],
    ['form body: username=bob password=hunter2', 'form body: username=bob password=[REDACTED]'],
    ['{"access_token":"abc","user":"bob"}', '{"access_token":"[REDACTED]","user":"bob"}'],
    ['{"password": "a\\"b"}', '{"password": "[REDACTED]"}'],
    ['Authorization: Bearer eyJhbGciOi.x.y', 'Authorization: Bearer [REDACTED]'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [REDACTED]'],
    ['no query at https://api.example.com/r/PF-1.', 'no query at https://api.example.com/r/PF-1.'],
    ['a signed URL https://store.example.com/b/o?sig=c2lnbmF0dXJl&se=2030', 'a signed URL https://store.example.com/b/o?sig=[REDACTED]&se=[REDACTED]'],
    ['(see https://u:p@h.example.com/x?a=1).', '(see https://h.example.com/x?a=[REDACTED]).'],
    ['Headers.append: "s3cr3t\r\nX-Injected: 1" is an invalid header value.', 'Headers.append: [REDACTED] is an invalid header value.'],
    ['Invalid value "s3cr3t" for header "x-api-key"', 'Invalid value [REDACTED] for header "x-api-key"'],
    [`Unexpected token 's', "s3cr3t tail"... is not valid JSON`, `Unexpected token 's', [REDACTED] is not valid JSON`],
    ['X-Api-Key: s3cr3t', 'X-Api-Key: [REDACTED]'],
    ['Cookie: sid=s3cr3t; theme=dark', 'Cookie: [REDACTED]'],
    ['Authorization: s3cr3t', 'Authorization: [REDACTED]'],
    ['key AKIAIOSFODNN7EXAMPLE rejected', 'key [REDACTED] rejected'],
    ['connect ECONNREFUSED 127.0.0.1:8080', 'connect ECONNREFUSED 127.0.0.1:8080'],
  ])('%s -> %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});

describe('redactSecrets: applied twice, the same', () => {
  it.each([
    'GET https://u:p@h.example.com/r?sig=abc&x=(1) failed.',
    '(see https://h.example.com/x?a=1)',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    'GET /r?token=abc#frag',
  ])('%s', (input) => {
    const once = redactSecrets(input);
    expect(redactSecrets(once)).toBe(once);
  });
});

describe('toFailureMessage', () => {
  it('collapses whitespace', () => {
    expect(toFailureMessage('  a\n\n b\tc ')).toBe('a b c');
  });

  it('cuts to the maximum length with an ellipsis', () => {
    expect(toFailureMessage('abcdef', 4)).toBe('abc…');
    expect(toFailureMessage('abcd', 4)).toBe('abcd');
  });

  it('redacts before cutting, so a cut cannot expose a secret', () => {
    expect(toFailureMessage('?token=abcdefghijklmnop', 12)).toBe('?token=[RED…');
  });
});

describe('boundForRedaction', () => {
  it('keeps short text whole', () => {
    expect(boundForRedaction('a b c', 500)).toBe('a b c');
  });

  it('cuts long text at a blank, well beyond what a message keeps', () => {
    const text = `${'word '.repeat(2_000)}?token=abcdef`;
    const bounded = boundForRedaction(text, 500);
    expect(bounded.length).toBeLessThanOrEqual(4_096);
    expect(bounded.length).toBeGreaterThan(2_048);
    expect(bounded.endsWith('word')).toBe(true);
  });

  it('lets toFailureMessage take a whole large body and still redact what it shows', () => {
    const body = `{"error":"Headers.append: \\"s3cr3t\\" is an invalid header value", "pad":"${'"'.repeat(1_000_000)}"}`;
    const message = toFailureMessage(body, 200);
    expect(message.length).toBeLessThanOrEqual(200);
    expect(message).not.toContain('s3cr3t');
  });
});
