import type { KafkaMessage } from 'kafkajs';
import { IngestRejected } from '@workpipe/contracts';
import { ingestRejectedEvent, MAX_REJECTED_RAW_BYTES } from './ingest-rejection';

const now = new Date('2026-01-02T03:04:05.000Z');
const message = (value: Buffer | null, key: Buffer | null = Buffer.from([0xff, 0x00])): KafkaMessage =>
  ({ key, value, offset: '41', timestamp: '0', attributes: 0 }) as KafkaMessage;

describe('ingestRejectedEvent', () => {
  it('keeps the exact bytes, headers and coordinates, and passes the contract', () => {
    const value = Buffer.from([0x00, 0x01, 0xfe, 0x7b]);
    const rejection = { topic: 'billing', partition: 2, message: message(value), headers: { trace: 't-1' } };
    const event = ingestRejectedEvent({ ...rejection, reason: 'bad', correlationId: 'c-1' }, now);
    expect(event.key).toBe('billing:2');
    expect(event.headers).toEqual({ 'x-correlation-id': 'c-1', 'x-item-id': undefined });
    const parsed = IngestRejected.Schema.parse(event.value);
    expect(Buffer.from(parsed.valueBase64 as string, 'base64')).toEqual(value);
    expect(Buffer.from(parsed.keyBase64 as string, 'base64')).toEqual(Buffer.from([0xff, 0x00]));
    expect(parsed).toMatchObject({
      sourceTopic: 'billing',
      partition: 2,
      offset: '41',
      headers: { trace: 't-1' },
      rejectedAt: now.toISOString(),
    });
  });

  it('keeps null key and value as null (a tombstone)', () => {
    const tombstone = { topic: 'billing', partition: 0, message: message(null, null), headers: {} };
    const event = ingestRejectedEvent({ ...tombstone, reason: 'tombstone', correlationId: 'c' }, now);
    expect(event.value).toMatchObject({ keyBase64: null, valueBase64: null });
  });

  it('drops a value too large to publish, saying where to find it, and bounds the reason', () => {
    const event = ingestRejectedEvent(
      {
        topic: 'billing',
        partition: 1,
        message: message(Buffer.alloc(MAX_REJECTED_RAW_BYTES + 1)),
        headers: {},
        reason: 'x'.repeat(5000),
        correlationId: 'c',
      },
      now,
    );
    expect(event.value.valueBase64).toBeNull();
    expect(event.value.keyBase64).not.toBeNull();
    expect(event.value.reason.length).toBeLessThanOrEqual(2000);
    expect(() => IngestRejected.Schema.parse(event.value)).not.toThrow();

    const big = { topic: 'billing', partition: 1, message: message(Buffer.alloc(MAX_REJECTED_RAW_BYTES + 1)) };
    const short = ingestRejectedEvent({ ...big, headers: {}, reason: 'big', correlationId: 'c' }, now);
    expect(short.value.reason).toMatch(/not kept: too large; read it from billing partition 1 offset 41/);
  });
});
