import { collect } from '../testing/collect';
import { batchRecords } from './file-batches';
import type { FileRecord } from './item-candidate';

const item = (line: number): FileRecord => ({ line, submission: { key: `K${line}`, type: 't', payload: {} } });
const bad = (line: number): FileRecord => ({ line, error: `bad ${line}` });

async function* fromArray(records: FileRecord[], pulled: number[] = []): AsyncGenerator<FileRecord> {
  for (const record of records) {
    pulled.push(record.line);
    yield record;
  }
}

describe('batchRecords', () => {
  it('groups items into batches of the given size, numbered from 1, the last one partial', async () => {
    const batches = await collect(batchRecords(fromArray([1, 2, 3, 4, 5].map(item)), 2));
    expect(batches.map((batch) => [batch.number, batch.items.map((i) => i.line)])).toEqual([
      [1, [1, 2]],
      [2, [3, 4]],
      [3, [5]],
    ]);
  });

  it('lets unreadable lines ride with the batch being filled; they do not count toward its size', async () => {
    const batches = await collect(batchRecords(fromArray([item(2), bad(3), item(4), bad(5), item(6)]), 2));
    expect(batches).toEqual([
      { number: 1, items: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 4 })], unreadable: [{ line: 3, reason: 'bad 3' }] },
      { number: 2, items: [expect.objectContaining({ line: 6 })], unreadable: [{ line: 5, reason: 'bad 5' }] },
    ]);
  });

  it('ends with a batch of only unreadable lines when the file ends with them, and yields nothing for an empty file', async () => {
    const batches = await collect(batchRecords(fromArray([item(1), bad(2)]), 1));
    expect(batches.map((batch) => [batch.items.length, batch.unreadable.length])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(await collect(batchRecords(fromArray([]), 10))).toEqual([]);
  });

  it('reads no further than the batch being handed out', async () => {
    const pulled: number[] = [];
    const batches = batchRecords(fromArray([1, 2, 3, 4, 5, 6].map(item), pulled), 2);
    await batches.next();
    expect(pulled).toEqual([1, 2]);
    await batches.return(undefined);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(collect(batchRecords(fromArray([]), 0))).rejects.toThrow(RangeError);
  });
});
