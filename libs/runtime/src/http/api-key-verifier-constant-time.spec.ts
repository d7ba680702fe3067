// The default import is node:crypto's own exports object, the one the verifier calls into (a namespace import is a copy).
import crypto, { createHash } from 'node:crypto';
import { ApiKeyVerifier } from './api-key-verifier';
import { ANY_ROLE } from './require-role.decorator';

// Three keys of one length (12 characters), so a presented key of that length must be compared with each.
const KEYS = ['reader-key-1', 'loader-key-2', 'operat-key-3'];
const verifier = new ApiKeyVerifier(KEYS.map((key) => ({ key, roles: ['read', 'submit', 'operate'] })));

describe('ApiKeyVerifier compares keys in constant time', () => {
  let timingSafeEqual: jest.SpyInstance;

  beforeEach(() => {
    timingSafeEqual = jest.spyOn(crypto, 'timingSafeEqual');
  });
  afterEach(() => timingSafeEqual.mockRestore());

  /** The SHA-256 digest of a key, as the verifier compares it (hex). */
  const digest = (key: string): string => createHash('sha256').update(key).digest('hex');

  /** The digests each timingSafeEqual call compared (as hex): 32 bytes each, whatever the keys' lengths. */
  const compared = (): { known: string; given: string }[] =>
    timingSafeEqual.mock.calls.map(([known, given]: [Buffer, Buffer]) => {
      expect(Buffer.isBuffer(known) && Buffer.isBuffer(given) && known.length === 32 && given.length === 32).toBe(true);
      return { known: known.toString('hex'), given: given.toString('hex') };
    });

  it.each([
    ['the first key', 'reader-key-1', 'key 1'],
    ['the last key', 'operat-key-3', 'key 3'],
  ])('compares %s with every configured key with crypto.timingSafeEqual, not stopping at the match', (_which, given, id) => {
    expect(verifier.verify({ 'x-api-key': given }, ANY_ROLE, undefined)).toMatchObject({ allowed: true, caller: { id } });
    expect(compared()).toEqual(KEYS.map((known) => ({ known: digest(known), given: digest(given) })));
  });

  it('compares a wrong key of the same length with every configured key, and refuses it', () => {
    expect(verifier.verify({ authorization: 'Bearer reader-key-9' }, 'read', undefined)).toMatchObject({ refusal: { statusCode: 401, error: 'API_KEY_INVALID' } });
    expect(compared()).toEqual(KEYS.map((known) => ({ known: digest(known), given: digest('reader-key-9') })));
  });

  it('with keys of several lengths, compares every key, lengths included: nothing is skipped by length', () => {
    const mixed = new ApiKeyVerifier([
      { key: 'short-key-1', roles: ['read'] },
      { key: 'a-much-longer-key-2', roles: ['read'] },
      { key: 'short-key-3', roles: ['read'] },
    ]);
    expect(mixed.verify({ 'x-api-key': 'short-key-3' }, 'read', undefined)).toMatchObject({ allowed: true, caller: { id: 'key 3' } });
    expect(compared()).toEqual(['short-key-1', 'a-much-longer-key-2', 'short-key-3'].map((known) => ({ known: digest(known), given: digest('short-key-3') })));
  });
});
