import { MAX_CORRELATION_ID_LENGTH, messageCorrelationId } from './source-correlation';

describe('messageCorrelationId', () => {
  it("uses the message's x-correlation-id header", () => {
    const headers = { 'x-correlation-id': 'req-42' };
    expect(messageCorrelationId('billing', 0, { offset: '7', headers })).toBe('req-42');
  });

  it('falls back to topic:partition:offset without a header, or with one the API would not accept', () => {
    expect(messageCorrelationId('billing', 3, { offset: '7', headers: {} })).toBe('billing:3:7');
    expect(messageCorrelationId('billing', 3, { offset: '7', headers: { 'x-correlation-id': 'has spaces' } })).toBe(
      'billing:3:7',
    );
    expect(messageCorrelationId('billing', 3, { offset: '7', headers: { 'x-correlation-id': 'x'.repeat(201) } })).toBe(
      'billing:3:7',
    );
  });

  it('keeps the partition and offset of a very long topic name within the work item limit', () => {
    const id = messageCorrelationId('t'.repeat(249), 3, { offset: '123456', headers: {} });
    expect(id).toHaveLength(MAX_CORRELATION_ID_LENGTH);
    expect(id.endsWith(':3:123456')).toBe(true);
  });
});

