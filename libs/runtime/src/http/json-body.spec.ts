import { forbiddenKeyPath, jsonDepthOver, mediaTypeRefusal, parseJsonBody, parseMediaType, tooLargeRefusal } from './json-body';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('JSON request bodies', () => {
  it('reads the media type and charset of a content-type', () => {
    expect(parseMediaType('Application/JSON; Charset="UTF-8"')).toEqual({ type: 'application/json', charset: 'utf-8' });
    expect(parseMediaType('application/json')).toEqual({ type: 'application/json' });
    expect(parseMediaType(undefined)).toBeUndefined();
  });

  it('takes JSON in UTF-8 only, saying what to send instead', () => {
    expect(mediaTypeRefusal('application/json')).toBeUndefined();
    expect(mediaTypeRefusal('application/json; charset=utf-8')).toBeUndefined();
    expect(mediaTypeRefusal('application/merge-patch+json')).toBeUndefined();
    expect(mediaTypeRefusal('application/json; charset=latin1')).toEqual({
      statusCode: 415,
      error: 'UNSUPPORTED_CHARSET',
      message: expect.stringContaining('charset "latin1" is not supported'),
    });
    expect(mediaTypeRefusal('text/plain')).toMatchObject({ statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('"text/plain"') });
    expect(mediaTypeRefusal(undefined)).toMatchObject({ statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('names the limit and the route of a body too large', () => {
    expect(tooLargeRefusal(65_536, 'POST /v1/failures/clear-old').message).toBe('the body is over the limit of 65536 bytes for POST /v1/failures/clear-old');
    expect(tooLargeRefusal(16, 'POST /v1/batches').message).toMatch(/split the batch$/);
  });

  it('measures nesting on the text, ignoring brackets inside strings, without recursion', () => {
    expect(jsonDepthOver('{"a":[{"b":1}]}', 3)).toBeUndefined();
    expect(jsonDepthOver('{"a":[{"b":1}]}', 2)).toBe(6);
    expect(jsonDepthOver('{"a":"[[[[\\"[[[["}', 1)).toBeUndefined();
    expect(jsonDepthOver('['.repeat(1_000_000), 64)).toBe(64);
  });

  it('refuses a body nested deeper than the limit before parsing it, naming the limit', () => {
    const outcome = parseJsonBody(bytes(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), 64);
    expect(outcome).toEqual({ ok: false, refusal: { statusCode: 400, error: 'BODY_TOO_DEEP', message: expect.stringContaining('at most 64 are allowed') } });
  });

  it('refuses bytes that are not UTF-8, and text that is not JSON', () => {
    expect(parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d]), 64)).toMatchObject({ ok: false, refusal: { error: 'INVALID_UTF8' } });
    expect(parseJsonBody(bytes('{"a":1,,}'), 64)).toMatchObject({ ok: false, refusal: { error: 'MALFORMED_JSON', message: expect.stringMatching(/^the body is not valid JSON: /) } });
  });

  it('refuses __proto__, constructor and prototype keys anywhere, saying where', () => {
    expect(parseJsonBody(bytes('{"__proto__":{"x":1},"items":[]}'), 64)).toMatchObject({
      ok: false,
      refusal: { error: 'FORBIDDEN_KEY', message: expect.stringContaining('"__proto__" at the top level') },
    });
    expect(forbiddenKeyPath(JSON.parse('{"items":[{"payload":{"a":{"constructor":1}}}]}'))).toEqual({ key: 'constructor', path: 'items.0.payload.a' });
    expect(forbiddenKeyPath({ items: [{ payload: { prototypes: 1, proto: 2 } }] })).toBeUndefined();
  });

  it('gives the value of a good body', () => {
    expect(parseJsonBody(bytes('\ufeff{"items":[{"key":"é"}]}'), 64)).toEqual({ ok: true, value: { items: [{ key: 'é' }] } });
  });
});
