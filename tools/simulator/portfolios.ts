import { z } from 'zod';

/** One portfolio the simulated downstream knows. */
export interface Portfolio {
  /** Stable id, `PF-0001` to `PF-0104`. */
  readonly portfolioId: string;
  /** Display name, e.g. `FUNDO ALFA RENDA FIXA 01`. */
  readonly name: string;
}

/** How many portfolios the batch of the incident report had (endpoint 1048). */
export const PORTFOLIO_COUNT = 104;

export const PORTFOLIO_ID_PATTERN = /^PF-\d{4}$/;

export const PortfolioIdSchema = z
  .string()
  .regex(PORTFOLIO_ID_PATTERN, 'portfolio id must look like PF-0001');

const NAME_STEMS = [
  'ALFA',
  'BETA',
  'GAMA',
  'DELTA',
  'SIGMA',
  'OMEGA',
  'ATLAS',
  'AURORA',
  'HORIZONTE',
  'PATRIMONIO',
  'VERTICE',
  'CAPITAL',
  'IPE',
  'JATOBA',
] as const;

const STRATEGIES = [
  'RENDA FIXA',
  'MULTIMERCADO',
  'ACOES',
  'CREDITO PRIVADO',
  'PREVIDENCIA',
  'CAMBIAL',
  'INFRAESTRUTURA',
  'IMOBILIARIO',
] as const;

function portfolioAt(position: number): Portfolio {
  const stem = NAME_STEMS[(position - 1) % NAME_STEMS.length];
  const strategy = STRATEGIES[Math.floor((position - 1) / NAME_STEMS.length) % STRATEGIES.length];
  const id = String(position).padStart(4, '0');
  return { portfolioId: `PF-${id}`, name: `FUNDO ${stem} ${strategy} ${id.slice(-2)}` };
}

/** The 104 portfolios, in id order. Names are generated, so they are the same on every run. */
export const PORTFOLIOS: readonly Portfolio[] = Object.freeze(
  Array.from({ length: PORTFOLIO_COUNT }, (_unused, index) => Object.freeze(portfolioAt(index + 1))),
);

const PORTFOLIOS_BY_ID: ReadonlyMap<string, Portfolio> = new Map(
  PORTFOLIOS.map((portfolio) => [portfolio.portfolioId, portfolio]),
);

export function findPortfolio(portfolioId: string): Portfolio | undefined {
  return PORTFOLIOS_BY_ID.get(portfolioId);
}

export function isKnownPortfolioId(portfolioId: string): boolean {
  return PORTFOLIOS_BY_ID.has(portfolioId);
}
