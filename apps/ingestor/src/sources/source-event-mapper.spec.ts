import { IngestSourceSchema, type IngestSource } from '@workpipe/config';
import { EventMappingError } from './errors/event-mapping-error';
import { resolvePath, SourceEventMapper } from './source-event-mapper';

const source = (overrides: Record<string, unknown> = {}, mapping: Record<string, unknown> = {}): IngestSource =>
  IngestSourceSchema.parse({
    topic: 'billing.events',
    format: 'json',
    type: 'billing-message',
    ...overrides,
    mapping: { key: 'customer.id', itemId: 'id', ...mapping },
  });

const event = {
  id: 'inv-1',
  kind: 'invoice.paid',
  run: { id: 'run-7' },
  customer: { id: 'C-1', tags: ['a', 'b'] },
  lines: [{ sku: 'SKU-1' }],
  amount: 12.5,
};

describe('SourceEventMapper', () => {
  it('maps key, itemId and the whole event as payload (the default), with the fixed type', () => {
    expect(new SourceEventMapper(source()).map(event)).toEqual({
      itemId: 'inv-1',
      key: 'C-1',
      type: 'billing-message',
      payload: event,
    });
  });

  it('reads nested paths, array indexes, the type and batch id from the event, and a sub-object as payload', () => {
    const mapper = new SourceEventMapper(
      source({ type: undefined }, { key: 'lines.0.sku', type: 'kind', batchId: 'run.id', payload: 'customer' }),
    );
    expect(mapper.map(event)).toEqual({
      itemId: 'inv-1',
      key: 'SKU-1',
      type: 'invoice.paid',
      batchId: 'run-7',
      payload: event.customer,
    });
  });

  it('turns numeric ids into strings', () => {
    expect(new SourceEventMapper(source()).map({ id: 17, customer: { id: 42 } })).toMatchObject({
      itemId: '17',
      key: '42',
    });
  });

  it('leaves itemId out when the mapping has none, so the submission derives it from the content', () => {
    const mapped = new SourceEventMapper(source({}, { itemId: undefined })).map(event);
    expect(mapped).not.toBeInstanceOf(EventMappingError);
    expect(mapped).not.toHaveProperty('itemId');
    expect(mapped).not.toHaveProperty('batchId');
  });

  it('names the missing key path', () => {
    const error = new SourceEventMapper(source()).map({ id: 'inv-2', amount: 5 });
    expect(error).toBeInstanceOf(EventMappingError);
    expect(error).toMatchObject({ field: 'key', path: 'customer.id', problem: 'missing', retryable: false });
    expect((error as Error).message).toBe(
      'mapping.key: path "customer.id" is missing from the event (expected a string or number)',
    );
  });

  it.each<[string, unknown, string]>([
    ['a boolean', true, 'a boolean'],
    ['null', null, 'null'],
    ['an object', { nested: 1 }, 'an object'],
    ['an array', ['C-1'], 'an array'],
  ])('refuses a key that is %s', (_label, key, found) => {
    const error = new SourceEventMapper(source()).map({ id: 'inv-3', customer: { id: key } });
    expect(error).toMatchObject({ field: 'key', problem: 'wrong-kind', found });
    expect((error as Error).message).toBe(`mapping.key: path "customer.id" is ${found}, expected a string or number`);
  });

  it('refuses a payload that is not an object', () => {
    expect(new SourceEventMapper(source({}, { payload: 'amount' })).map(event)).toMatchObject({
      field: 'payload',
      path: 'amount',
      problem: 'wrong-kind',
      found: 'a number',
    });
    expect(new SourceEventMapper(source({}, { payload: 'customer.tags' })).map(event)).toMatchObject({
      field: 'payload',
      found: 'an array',
    });
  });

  it('refuses a whole event that is not an object when the payload is "$"', () => {
    expect(new SourceEventMapper(source({}, { key: '$', itemId: undefined })).map('C-1')).toMatchObject({
      field: 'payload',
      path: '$',
      found: 'a string',
    });
  });

  it('names a configured itemId, type or batchId path that is missing or of the wrong kind', () => {
    expect(new SourceEventMapper(source()).map({ customer: { id: 'C-1' } })).toMatchObject({
      field: 'itemId',
      path: 'id',
      problem: 'missing',
    });
    expect(
      new SourceEventMapper(source({ type: undefined }, { type: 'kind' })).map({ ...event, kind: 3 }),
    ).toMatchObject({ field: 'type', path: 'kind', found: 'a number', expected: 'a string' });
    expect(new SourceEventMapper(source({}, { batchId: 'run.id' })).map({ ...event, run: {} })).toMatchObject({
      field: 'batchId',
      path: 'run.id',
      problem: 'missing',
    });
  });

  it('prefers the type picked from the event over the fixed one', () => {
    expect(new SourceEventMapper(source({}, { type: 'kind' })).map(event)).toMatchObject({ type: 'invoice.paid' });
  });
});

describe('resolvePath', () => {
  it('follows own properties only', () => {
    expect(resolvePath({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(resolvePath({ a: {} }, 'a.toString')).toBeUndefined();
    expect(resolvePath({ a: { b: 0 } }, 'a.b')).toBe(0);
  });

  it('indexes arrays by numeric segments only', () => {
    expect(resolvePath({ a: ['x', 'y'] }, 'a.1')).toBe('y');
    expect(resolvePath({ a: ['x'] }, 'a.length')).toBeUndefined();
    expect(resolvePath({ a: ['x'] }, 'a.5')).toBeUndefined();
  });

  it('finds nothing inside strings, numbers or null', () => {
    expect(resolvePath('text', 'length')).toBeUndefined();
    expect(resolvePath({ a: null }, 'a.b')).toBeUndefined();
  });
});
