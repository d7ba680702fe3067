import { RegistrySerde } from '@workpipe/kafka';
import { SourceDecodeError } from './errors/source-decode-error';
import { SourceEventDecoder } from './source-event-decoder';

// The registry paths are exercised against the real registry in test/ingestor/source-topics.test.ts;
// these cases are settled before any request, so the client points nowhere.
const decoder = new SourceEventDecoder(new RegistrySerde({ url: 'http://127.0.0.1:9/unreachable' }));

describe('SourceEventDecoder', () => {
  it('decodes UTF-8 JSON', async () => {
    await expect(decoder.decode(Buffer.from('{"id":"inv-1","name":"Zoë"}'), 'json')).resolves.toEqual({
      id: 'inv-1',
      name: 'Zoë',
    });
  });

  it.each<[string, Buffer | null, RegExp]>([
    ['text that is not JSON', Buffer.from('not json {'), /not JSON/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
    ['a tombstone', null, /no value/],
    ['an empty value', Buffer.alloc(0), /no value/],
  ])('refuses %s as a poison message', async (_label, value, reason) => {
    const error = await decoder.decode(value, 'json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceDecodeError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(reason) });
  });

  it.each<[string, Buffer, RegExp]>([
    ['plain JSON', Buffer.from('{"id":1}'), /not in the Confluent wire format/],
    ['a value shorter than the wire header', Buffer.from([0, 0, 1]), /not in the Confluent wire format/],
  ])('refuses %s on a registry source without asking the registry', async (_label, value, reason) => {
    const error = await decoder.decode(value, 'registry').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceDecodeError);
    expect((error as Error).message).toMatch(reason);
  });
});
