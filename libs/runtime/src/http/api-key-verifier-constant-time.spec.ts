// The default import is node:crypto's own exports object, the one the verifier calls into (a namespace import is a copy).
import crypto from 'node:crypto';
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

  /** The configured keys each timingSafeEqual call compared the candidate with (both as text). */
  const compared = (): { known: string; given: string }[] =>
    timingSafeEqual.mock.calls.map(([known, given]: [Buffer, Buffer]) => {
      // Equal-length buffers only: timingSafeEqual would throw otherwise, and a length check is the only shortcut.
      expect(Buffer.isBuffer(known) && Buffer.isBuffer(given) && known.length === given.length).toBe(true);
      return { known: known.toString(), given: given.toString() };
    });

  it.each([
    ['the first key', 'reader-key-1', 'key 1'],
    ['the last key', 'operat-key-3', 'key 3'],
  ])('compares %s with every configured key with crypto.timingSafeEqual, not stopping at the match', (_which, given, id) => {
    expect(verifier.verify({ 'x-api-key': given }, ANY_ROLE, undefined)).toMatchObject({ allowed: true, caller: { id } });
    expect(compared()).toEqual(KEYS.map((known) => ({ known, given })));
  });

  it('compares a wrong key of the same length with every configured key, and refuses it', () => {
    expect(verifier.verify({ authorization: 'Bearer reader-key-9' }, 'read', undefined)).toMatchObject({ refusal: { statusCode: 401, error: 'API_KEY_INVALID' } });
    expect(compared()).toEqual(KEYS.map((known) => ({ known, given: 'reader-key-9' })));
  });

  it('with keys of several lengths, compares every key of the presented length and calls nothing unequal', () => {
    const mixed = new ApiKeyVerifier([
      { key: 'short-key-1', roles: ['read'] },
      { key: 'a-much-longer-key-2', roles: ['read'] },
      { key: 'short-key-3', roles: ['read'] },
    ]);
    expect(mixed.verify({ 'x-api-key': 'short-key-3' }, 'read', undefined)).toMatchObject({ allowed: true, caller: { id: 'key 3' } });
    expect(compared()).toEqual([
      { known: 'short-key-1', given: 'short-key-3' },
      { known: 'short-key-3', given: 'short-key-3' },
    ]);
  });
});
