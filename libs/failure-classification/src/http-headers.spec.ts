import { getHeader } from './http-headers';

describe('getHeader', () => {
  it('looks names up case-insensitively', () => {
    expect(getHeader({ 'Retry-After': '5' }, 'retry-after')).toBe('5');
    expect(getHeader({ 'retry-after': '5' }, 'Retry-After')).toBe('5');
  });

  it('takes the first non-empty value of a repeated header', () => {
    expect(getHeader({ 'x-ratelimit-limit': ['', '100', '200'] }, 'X-RateLimit-Limit')).toBe('100');
  });

  it('trims values', () => {
    expect(getHeader({ 'retry-after': ' 5 ' }, 'retry-after')).toBe('5');
  });

  it('is undefined for a missing, undefined or blank header', () => {
    expect(getHeader({}, 'retry-after')).toBeUndefined();
    expect(getHeader({ 'retry-after': undefined }, 'retry-after')).toBeUndefined();
    expect(getHeader({ 'retry-after': '  ' }, 'retry-after')).toBeUndefined();
    expect(getHeader({ 'retry-after': [] }, 'retry-after')).toBeUndefined();
  });

  it('skips a blank spelling and finds another', () => {
    expect(getHeader({ 'retry-after': '', 'Retry-After': '7' }, 'retry-after')).toBe('7');
  });
});
