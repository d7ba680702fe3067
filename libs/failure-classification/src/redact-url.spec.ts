import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['https://user:password@hooks.example.com/alerts?token=s3cr3t', 'https://hooks.example.com/alerts?token=[REDACTED]'],
    ['redis://:pw@127.0.0.1:6379/0', 'redis://127.0.0.1:6379/0'],
    ['https://u:p@ss@h.example.com/x', 'https://h.example.com/x'],
    ['https://store.example.com/b/o.csv?X-Goog-Signature=abc&X-Goog-Expires=900', 'https://store.example.com/b/o.csv?X-Goog-Signature=[REDACTED]&X-Goog-Expires=[REDACTED]'],
    ['https://h.example.com/r?sig=abc&se=2030-01-01&sp=r', 'https://h.example.com/r?sig=[REDACTED]&se=[REDACTED]&sp=[REDACTED]'],
    ['https://h.example.com/r?s3cr3t', 'https://h.example.com/r?[REDACTED]'],
    ['https://h.example.com/r?empty=&a=1;b=2', 'https://h.example.com/r?empty=&a=[REDACTED];b=[REDACTED]'],
    ['https://h.example.com/cb#access_token=s3cr3t', 'https://h.example.com/cb#[REDACTED]'],
    ['https://hooks.example.com/services/T01/B02/AbCdEf0123456789XyZ01234', 'https://hooks.example.com/services/T01/B02/[REDACTED]'],
    ['http://127.0.0.1:8080/portfolios/PF-1/report', 'http://127.0.0.1:8080/portfolios/PF-1/report'],
    ['/r?page=2', '/r?page=[REDACTED]'],
    ['not a url at all', 'not a url at all'],
    ['http://exa mple.com:99999/x?token=abc', 'http://exa mple.com:99999/x?token=[REDACTED]'],
  ])('%s -> %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('never lets a planted secret through, wherever it sits', () => {
    const secret = 'PLANTEDs3cr3t';
    for (const url of [
      `https://${secret}@h.example.com/`,
      `https://user:${secret}@h.example.com/`,
      `https://h.example.com/?q=${secret}`,
      `https://h.example.com/?${secret}`,
      `https://h.example.com/#${secret}`,
      `https://h.example.com/?a=1&b=${encodeURIComponent(secret)}#x`,
    ]) {
      expect(redactUrl(url)).not.toContain(secret);
    }
  });
});
