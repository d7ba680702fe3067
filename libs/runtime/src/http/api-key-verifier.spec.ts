import { ApiKeyVerifier } from './api-key-verifier';
import { ANY_ROLE } from './require-role.decorator';

const verifier = new ApiKeyVerifier([
  { key: 'reader-key-1', roles: ['read'] },
  { key: 'all-roles-key-1', roles: ['read', 'submit', 'operate'] },
]);

describe('ApiKeyVerifier', () => {
  it('lets a key with the role through, named by its position, never by its text', () => {
    expect(verifier.verify({ 'x-api-key': 'reader-key-1' }, 'read', '10.0.0.1')).toEqual({ allowed: true, caller: { id: 'key 1', roles: new Set(['read']) } });
    expect(verifier.verify({ authorization: 'Bearer all-roles-key-1' }, 'operate', undefined)).toMatchObject({ allowed: true, caller: { id: 'key 2' } });
  });

  it('answers 401 without a key or with a wrong one, 403 without the role', () => {
    expect(verifier.verify({}, 'read', undefined)).toMatchObject({ allowed: false, refusal: { statusCode: 401, error: 'API_KEY_MISSING' } });
    expect(verifier.verify({ authorization: 'Basic cmVhZGVyLWtleS0x' }, 'read', undefined)).toMatchObject({ refusal: { error: 'API_KEY_MISSING' } });
    expect(verifier.verify({ 'x-api-key': 'reader-key-2' }, 'read', undefined)).toMatchObject({ refusal: { statusCode: 401, error: 'API_KEY_INVALID' } });
    expect(verifier.verify({ 'x-api-key': 'reader-key-1' }, 'submit', undefined)).toEqual({
      allowed: false,
      refusal: { statusCode: 403, error: 'ROLE_MISSING', message: 'this endpoint needs a key with the "submit" role' },
    });
  });

  it('takes any valid key where the route needs no particular role, and still no invalid one', () => {
    expect(verifier.verify({ 'x-api-key': 'reader-key-1' }, ANY_ROLE, undefined)).toEqual({ allowed: true, caller: { id: 'key 1', roles: new Set(['read']) } });
    expect(verifier.verify({ 'x-api-key': 'reader-key-2' }, ANY_ROLE, undefined)).toMatchObject({ refusal: { statusCode: 401, error: 'API_KEY_INVALID' } });
    expect(verifier.verify({}, ANY_ROLE, undefined)).toMatchObject({ refusal: { statusCode: 401, error: 'API_KEY_MISSING' } });
  });

  it('with no key configured, lets everyone through, known by address', () => {
    const off = new ApiKeyVerifier([]);
    expect(off.enabled).toBe(false);
    expect(off.verify({}, 'operate', '127.0.0.1')).toMatchObject({ allowed: true, caller: { id: 'address 127.0.0.1' } });
  });
});
