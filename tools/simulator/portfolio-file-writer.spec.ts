import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPortfolioFile, writePortfolioFile } from './portfolio-file-writer';
import { PORTFOLIOS, findPortfolio } from './portfolios';

describe('portfolios', () => {
  it('lists the 104 portfolios PF-0001..PF-0104 with distinct names, the same on every run', () => {
    expect(PORTFOLIOS).toHaveLength(104);
    expect(PORTFOLIOS[0]).toEqual({ portfolioId: 'PF-0001', name: 'FUNDO ALFA RENDA FIXA 01' });
    expect(PORTFOLIOS[103].portfolioId).toBe('PF-0104');
    expect(new Set(PORTFOLIOS.map((portfolio) => portfolio.portfolioId)).size).toBe(104);
    expect(new Set(PORTFOLIOS.map((portfolio) => portfolio.name)).size).toBe(104);
    expect(findPortfolio('PF-0042')?.portfolioId).toBe('PF-0042');
    expect(findPortfolio('PF-0105')).toBeUndefined();
  });
});

describe('writePortfolioFile', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'simulator-portfolios-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes a CSV with a portfolioId,name header and one row per portfolio', async () => {
    const path = join(folder, 'nested', 'portfolios.csv');
    await expect(writePortfolioFile(path)).resolves.toBe('csv');
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('portfolioId,name');
    expect(lines).toHaveLength(105);
    expect(lines[1]).toBe('PF-0001,FUNDO ALFA RENDA FIXA 01');
  });

  it('writes JSON lines when the file ends in .jsonl', async () => {
    const path = join(folder, 'portfolios.jsonl');
    await expect(writePortfolioFile(path)).resolves.toBe('jsonl');
    const records = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(records).toEqual(PORTFOLIOS.map(({ portfolioId, name }) => ({ portfolioId, name })));
  });

  it('quotes CSV fields that need it', () => {
    const text = formatPortfolioFile('csv', [{ portfolioId: 'PF-0001', name: 'FUNDO "A", B' }]);
    expect(text).toBe('portfolioId,name\nPF-0001,"FUNDO ""A"", B"\n');
  });
});
