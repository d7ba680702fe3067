import { isSecretToken, REDACTED, redactSecretTokens } from './secret-token';

describe('isSecretToken', () => {
  it.each([
    ['8f14e45fceea167a5a36dedd4bea2543', 'hex digest'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'mixed-case key with a prefix'],
    ['AKIAIOSFODNN7EXAMPLE', 'upper case and digits, no separator'],
    ['abc123def456ghi789jkl0', 'lower case and digits, no separator'],
    ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'JWT header'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'base64 with slashes'],
    ['QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk', 'long base64'],
  ])('flags %s (%s)', (run) => {
    expect(isSecretToken(run)).toBe(true);
  });

  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'an error code'],
    ['portfolio-2026-11-22-report', 'a dated id'],
    ['3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', 'a UUID'],
    ['/var/lib/workpipe/reports/item-12', 'a file path'],
    ['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'a letter repeated'],
    ['AbC123', 'short'],
  ])('keeps %s (%s)', (run) => {
    expect(isSecretToken(run)).toBe(false);
  });
});

describe('redactSecretTokens', () => {
  it('replaces whole runs and keeps the words around them', () => {
    expect(redactSecretTokens('key=AKIAIOSFODNN7EXAMPLE, sig 8f14e45fceea167a5a36dedd4bea2543.')).toBe(
      `key=${REDACTED}, sig ${REDACTED}.`,
    );
  });

  it('leaves a JWT no part in clear', () => {
    expect(redactSecretTokens('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c')).toBe(
      `${REDACTED}.${REDACTED}.${REDACTED}`,
    );
  });
});
