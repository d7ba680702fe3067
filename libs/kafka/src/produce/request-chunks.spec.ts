import type { EncodedRecord } from './encoded-record';
import { RECORD_BATCH_OVERHEAD_BYTES, recordBytes } from './record-size';
import { requestChunks } from './request-chunks';

const record = (topic: string, bytes: number): EncodedRecord => ({ topic, key: 'k', value: Buffer.alloc(0), headers: {}, bytes });
const sizes = (chunks: EncodedRecord[][]) => chunks.map((chunk) => chunk.map((r) => `${r.topic}:${r.bytes}`));

describe('requestChunks', () => {
  const limit = 100 + RECORD_BATCH_OVERHEAD_BYTES;

  it('keeps everything in one request while each topic stays within its limit', () => {
    const records = [record('a', 60), record('b', 60), record('a', 40), record('b', 40)];
    expect(sizes(requestChunks(records, () => limit))).toEqual([['a:60', 'b:60', 'a:40', 'b:40']]);
  });

  it('starts a new request before a topic would pass its limit, in order', () => {
    const records = [record('a', 60), record('a', 40), record('a', 50), record('a', 100), record('a', 1)];
    expect(sizes(requestChunks(records, () => limit))).toEqual([['a:60', 'a:40'], ['a:50'], ['a:100'], ['a:1']]);
  });

  it('uses each topic its own limit', () => {
    const records = [record('small', 30), record('small', 30), record('big', 500)];
    const limits = (topic: string) => (topic === 'small' ? 50 + RECORD_BATCH_OVERHEAD_BYTES : 1000);
    expect(sizes(requestChunks(records, limits))).toEqual([['small:30'], ['small:30', 'big:500']]);
  });

  it('makes no request of nothing', () => {
    expect(requestChunks([], () => limit)).toEqual([]);
  });
});

describe('recordBytes', () => {
  it('bounds a record by its key, value and headers plus varint overheads', () => {
    const bytes = recordBytes(Buffer.from('key'), Buffer.alloc(1000), { 'x-item-id': 'i-1' });
    expect(bytes).toBeGreaterThanOrEqual(3 + 1000 + 'x-item-id'.length + 3);
    expect(bytes).toBeLessThan(3 + 1000 + 12 + 60);
  });
});
