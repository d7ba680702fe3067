import { redactSecrets, toFailureMessage } from './redact-secrets';

describe('redactSecrets', () => {
  it.each([
    ['https://user:pass@api.example.com/x', 'https://api.example.com/x'],
    ['postgres://user@db:5432/app', 'postgres://db:5432/app'],
    ['GET /r?token=abc&page=2', 'GET /r?token=[REDACTED]&page=2'],
    ['GET /r?page=2&api_key=abc#top', 'GET /r?page=2&api_key=[REDACTED]#top'],
    ['/r?apiKey=a&client_secret=b&password=c', '/r?apiKey=[REDACTED]&client_secret=[REDACTED]&password=[REDACTED]'],
    ['/r?X-Amz-Signature=abc&sessionId=9', '/r?X-Amz-Signature=[REDACTED]&sessionId=[REDACTED]'],
    ['form body: username=bob password=hunter2', 'form body: username=bob password=[REDACTED]'],
    ['{"access_token":"abc","user":"bob"}', '{"access_token":"[REDACTED]","user":"bob"}'],
    ['{"password": "a\\"b"}', '{"password": "[REDACTED]"}'],
    ['Authorization: Bearer eyJhbGciOi.x.y', 'Authorization: Bearer [REDACTED]'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [REDACTED]'],
    ['nothing to see at https://api.example.com/r?page=1', 'nothing to see at https://api.example.com/r?page=1'],
  ])('%s -> %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
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
