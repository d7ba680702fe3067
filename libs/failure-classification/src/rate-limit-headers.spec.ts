import { parseRateLimitHeaders, parseResetAtMs } from './rate-limit-headers';

const now = Date.parse('2025-09-02T12:00:00Z');

describe('parseRateLimitHeaders', () => {
  it('reads limit, remaining and a delta-seconds reset', () => {
    expect(
      parseRateLimitHeaders({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '30' }, now),
    ).toEqual({ limit: 100, remaining: 7, resetAtMs: now + 30_000 });
  });

  it('reads a reset above 1e9 as epoch seconds', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-reset': '1756814460' }, now)).toEqual({ resetAtMs: 1_756_814_460_000 });
  });

  it('reads a reset above 1e12 as epoch milliseconds', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-reset': '1756814460123' }, now)).toEqual({ resetAtMs: 1_756_814_460_123 });
  });

  it('falls back to the unprefixed IETF names', () => {
    expect(parseRateLimitHeaders({ 'RateLimit-Limit': '100, 100;w=60', 'RateLimit-Remaining': '0' }, now)).toEqual({
      limit: 100,
      remaining: 0,
    });
  });

  it('leaves out what is missing or unparseable', () => {
    expect(parseRateLimitHeaders({}, now)).toEqual({});
    expect(
      parseRateLimitHeaders({ 'x-ratelimit-limit': 'many', 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': 'soon' }, now),
    ).toEqual({});
    expect(parseRateLimitHeaders({ 'x-ratelimit-limit': '2.5' }, now)).toEqual({});
  });

  it('accepts header arrays', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': ['3', '4'] }, now)).toEqual({ remaining: 3 });
  });
});

describe('parseResetAtMs', () => {
  it('rounds a fractional delta up', () => {
    expect(parseResetAtMs('0.0005', now)).toBe(now + 1);
  });

  it('treats exactly 1e9 as a delta', () => {
    expect(parseResetAtMs('1000000000', 0)).toBe(1e12);
  });
});
