import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { PORTFOLIOS, type Portfolio } from './portfolios';

/** `csv`: header `portfolioId,name` then one row each; `jsonl`: one `{"portfolioId","name"}` object per line. */
export type PortfolioFileFormat = 'csv' | 'jsonl';

/** Options of {@link writePortfolioFile}. */
export interface PortfolioFileOptions {
  /** File format. Default: from the extension (`.jsonl`/`.ndjson` = jsonl), else `csv`. */
  readonly format?: PortfolioFileFormat;
  /** Portfolios to write. Default {@link PORTFOLIOS}, all 104. */
  readonly portfolios?: readonly Portfolio[];
}

function csvField(value: string): string {
  // RFC 4180 quoting, so a name with a comma or a quote survives the round trip.
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The file's text, without touching the disk. */
export function formatPortfolioFile(format: PortfolioFileFormat, portfolios: readonly Portfolio[] = PORTFOLIOS): string {
  if (format === 'jsonl') {
    return portfolios.map((portfolio) => JSON.stringify({ portfolioId: portfolio.portfolioId, name: portfolio.name })).join('\n') + '\n';
  }
  const lines = portfolios.map((portfolio) => `${csvField(portfolio.portfolioId)},${csvField(portfolio.name)}`);
  return ['portfolioId,name', ...lines].join('\n') + '\n';
}

/**
 * Writes the portfolios to a file the operator CLI and the demo can submit
 * (`portfolioId,name`), creating the parent folder. Resolves with the format written.
 */
export async function writePortfolioFile(path: string, options: PortfolioFileOptions = {}): Promise<PortfolioFileFormat> {
  const extension = extname(path).toLowerCase();
  const format = options.format ?? (extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : 'csv');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, formatPortfolioFile(format, options.portfolios ?? PORTFOLIOS), 'utf8');
  return format;
}
