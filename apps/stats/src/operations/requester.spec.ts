import { keyIdOf, requesterOf } from './requester';

describe('requesterOf', () => {
  const key = 'operator-key-123456';

  it('names the key by a hash, never the key', () => {
    const requester = requesterOf({ 'x-api-key': key }, true);
    expect(requester).toEqual({ kind: 'api-key', keyId: keyIdOf(key) });
    expect(JSON.stringify(requester)).not.toContain(key);
    expect(keyIdOf(key)).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('reads a bearer token like x-api-key', () => {
    expect(requesterOf({ authorization: `Bearer ${key}` }, true)).toEqual(requesterOf({ 'x-api-key': key }, true));
  });

  it('is anonymous without authentication, whatever was sent', () => {
    expect(requesterOf({ 'x-api-key': key }, false)).toEqual({ kind: 'anonymous' });
  });
});
