import { collect, plain, streamOf } from '../testing/collect';
import { readJsonLinesFile, splitLines } from './jsonl-file-reader';
import type { ItemMappingOptions } from './item-candidate';

const read = async (chunks: string[], options: ItemMappingOptions = {}) =>
  plain(await collect(readJsonLinesFile(streamOf(...chunks), options)));

describe('readJsonLinesFile', () => {
  it('reads items in the POST /v1/batches shape and adds other fields to the payload', async () => {
    const records = await read([
      '{"itemId":"I-1","key":"PF-1","type":"report","payload":{"date":"2025-03-14"},"region":"eu"}\n',
      '{"key":"PF-2","type":"report"}\n',
    ]);
    expect(records).toEqual([
      { line: 1, submission: { itemId: 'I-1', key: 'PF-1', type: 'report', payload: { date: '2025-03-14', region: 'eu' } } },
      { line: 2, submission: { key: 'PF-2', type: 'report', payload: {} } },
    ]);
  });

  it('passes values through unchanged for the ingestor to judge', async () => {
    const records = await read(['{"key":42,"type":"report","payload":{"n":1}}\n']);
    expect(records).toEqual([{ line: 1, submission: { key: 42, type: 'report', payload: { n: 1 } } }]);
  });

  it('rejects bad lines with their numbers; blank lines are skipped but counted', async () => {
    const records = await read(['{"key":"A","type":"t"}\n\n{"key": oops}\n[1,2]\n"text"\n{"key":"B","type":"t","payload":[1]}\n{"key":"C","type":"t"}']);
    expect(records).toEqual([
      { line: 1, submission: { key: 'A', type: 't', payload: {} } },
      { line: 3, error: expect.stringMatching(/^not valid JSON: /) },
      { line: 4, error: 'not a JSON object: an array' },
      { line: 5, error: 'not a JSON object: string' },
      { line: 6, error: 'payload: must be a JSON object' },
      { line: 7, submission: { key: 'C', type: 't', payload: {} } },
    ]);
  });

  it('fills in --type and takes the key from --key-column, a number becoming text', async () => {
    const records = await read(['{"portfolioId":1048,"name":"Alpha"}\n{"payload":{"portfolioId":"PF-2"}}\n'], {
      defaultType: 'portfolio-report',
      keyField: 'portfolioId',
    });
    expect(records).toEqual([
      { line: 1, submission: { key: '1048', type: 'portfolio-report', payload: { portfolioId: 1048, name: 'Alpha' } } },
      { line: 2, submission: { key: 'PF-2', type: 'portfolio-report', payload: { portfolioId: 'PF-2' } } },
    ]);
  });

  it('keeps a field named __proto__ as payload data', async () => {
    const [record] = await collect(readJsonLinesFile(streamOf('{"key":"K","type":"t","__proto__":{"x":1}}\n')));
    expect(JSON.stringify(record?.submission)).toBe('{"payload":{"__proto__":{"x":1}},"key":"K","type":"t"}');
    expect(({} as { x?: number }).x).toBeUndefined();
  });
});

describe('splitLines', () => {
  it('joins lines split across chunks, handles CRLF, a BOM, multi-byte characters and no final newline', async () => {
    const euro = Buffer.from('€', 'utf8');
    const chunks = [Buffer.from('\uFEFFa\r'), Buffer.from('\nb'), euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('\n\nc')])];
    const { Readable } = await import('node:stream');
    const lines = await collect(splitLines(Readable.from(chunks)));
    expect(lines).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b€' },
      { line: 3, text: '' },
      { line: 4, text: 'c' },
    ]);
  });
});
