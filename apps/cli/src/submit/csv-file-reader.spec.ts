import { InputFileError } from '../errors/input-file-error';
import { collect, plain, streamOf } from '../testing/collect';
import { readCsvFile } from './csv-file-reader';
import type { ItemMappingOptions } from './item-candidate';

const read = async (text: string, options: ItemMappingOptions = {}) => plain(await collect(readCsvFile(streamOf(text), options)));

describe('readCsvFile', () => {
  it('maps the item columns and puts every other column in the payload as text', async () => {
    const records = await read('itemId,key,type,portfolioId,name\nI-1,PF-1,report,PF-1,"Alpha, Inc."\n');
    expect(records).toEqual([
      {
        line: 2,
        submission: { itemId: 'I-1', key: 'PF-1', type: 'report', payload: { portfolioId: 'PF-1', name: 'Alpha, Inc.' } },
      },
    ]);
  });

  it('merges a payload column (a JSON object) with the extra columns', async () => {
    const records = await read('key,type,payload,region\nK1,t,"{""date"":""2025-03-14"",""n"":2}",eu\n');
    expect(records).toEqual([
      { line: 2, submission: { key: 'K1', type: 't', payload: { date: '2025-03-14', n: 2, region: 'eu' } } },
    ]);
  });

  it('treats empty cells of item columns as absent, and fills in --type', async () => {
    const records = await read('itemId,key,type,batchId,note\n,K1,,,\n', { defaultType: 'report' });
    expect(records).toEqual([{ line: 2, submission: { key: 'K1', type: 'report', payload: { note: '' } } }]);
  });

  it('keeps a row without a key, for the ingestor to reject with its reason', async () => {
    const records = await read('key,type\n,t\nK2,t\n');
    expect(records).toEqual([
      { line: 2, submission: { type: 't', payload: {} } },
      { line: 3, submission: { key: 'K2', type: 't', payload: {} } },
    ]);
  });

  it('rejects unreadable rows with their line numbers and goes on', async () => {
    const text = [
      'key,type,payload', // 1
      'K1,t,', // 2
      'K2,t', // 3: a field short
      '', // 4: blank, skipped
      'K3,t,"{not json}"', // 5
      'K4,t,"[1,2]"', // 6
      'K5,t,,extra', // 7: a field too many
      'K6,t,"{""a"":1}"', // 8
    ].join('\n');
    const records = await read(text);
    expect(records.map((record) => [(record as { line: number }).line, 'error' in (record as object) ? 'error' : 'item'])).toEqual([
      [2, 'item'],
      [3, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'item'],
    ]);
    expect(records[1]).toEqual({ line: 3, error: 'expected 3 fields as in the header, got 2' });
    expect((records[2] as { error: string }).error).toMatch(/^payload: not valid JSON/);
    expect((records[3] as { error: string }).error).toBe('payload: must be a JSON object');
  });

  it('numbers a record by the line it starts on, even after quoted newlines', async () => {
    const records = await read('key,type,note\nK1,t,"two\nlines"\nK2,t,x\n');
    expect(records.map((record) => (record as { line: number }).line)).toEqual([2, 4]);
  });

  it('reports broken quoting as a rejected line', async () => {
    const records = await read('key,type,note\nK1,t,"bad"quote\nK2,t,x\n');
    expect(records[0]).toEqual({ line: 2, error: expect.stringMatching(/^not valid CSV: Invalid Closing Quote/) });
  });

  it('takes the key from --key-column and keeps that column in the payload', async () => {
    const records = await read('portfolioId,name\nPF-0001,Alpha\n', { keyField: 'portfolioId', defaultType: 'portfolio-report' });
    expect(records).toEqual([
      {
        line: 2,
        submission: { key: 'PF-0001', type: 'portfolio-report', payload: { portfolioId: 'PF-0001', name: 'Alpha' } },
      },
    ]);
  });

  it('with --key-column, a column named "key" is plain payload data', async () => {
    const records = await read('id,key,type\nA,secret-sauce,t\n', { keyField: 'id' });
    expect(records).toEqual([{ line: 2, submission: { key: 'A', type: 't', payload: { id: 'A', key: 'secret-sauce' } } }]);
  });

  it('refuses a column given both as a column and inside payload', async () => {
    const records = await read('key,type,payload,a\nK,t,"{""a"":1}",2\n');
    expect(records).toEqual([{ line: 2, error: 'a: given both as a column and inside payload' }]);
  });

  it('strips a byte-order mark and trims header names', async () => {
    const records = await read('\uFEFF key , type \r\nK1,t\r\n');
    expect(records).toEqual([{ line: 2, submission: { key: 'K1', type: 't', payload: {} } }]);
  });

  it.each([
    ['', {}, /empty/],
    ['name,type\nx,t\n', {}, /no "key" column \(columns: name, type\); use --key-column/],
    ['key,type\nx,t\n', { keyField: 'portfolioId' }, /no "portfolioId" column/],
    ['key,name\nx,y\n', {}, /no "type" column .* --type/],
    ['key,type,key\n', {}, /"key" appears twice/],
    ['key,type,\n', {}, /column 3 of the header has no name/],
  ])('refuses an unusable header (%j) before yielding anything', async (text, options, message) => {
    await expect(read(text, options as ItemMappingOptions)).rejects.toThrow(InputFileError);
    await expect(read(text, options as ItemMappingOptions)).rejects.toThrow(message);
  });

  it('accepts a header without a key column when --type is given and the key comes from the payload column', async () => {
    const records = await read('payload\n"{""portfolioId"":""PF-9""}"\n', { keyField: 'portfolioId', defaultType: 't' });
    expect(records).toEqual([{ line: 2, submission: { key: 'PF-9', type: 't', payload: { portfolioId: 'PF-9' } } }]);
  });
});
