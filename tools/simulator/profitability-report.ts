import type { Portfolio } from './portfolios';
import { seededRandom } from './seeded-random';

/** One line of the synthetic profitability report: the portfolio against its benchmark over a period. */
export interface ProfitabilityRow {
  /** `month` (month to date), `year` (year to date), `12m`, `24m` or `36m`. */
  readonly period: string;
  /** Portfolio return over the period, in percent (1.23 = 1.23%). */
  readonly returnPct: number;
  /** Benchmark (CDI) return over the period, in percent. */
  readonly benchmarkPct: number;
  /** `returnPct - benchmarkPct`, in percentage points. */
  readonly excessPct: number;
  /** Portfolio return as a share of the benchmark's, in percent (110 = 110% of CDI). */
  readonly percentOfBenchmark: number;
}

/** The body of a successful `GET /portfolios/:id/profitability-report` (endpoint 1048). */
export interface ProfitabilityReport {
  readonly portfolioId: string;
  readonly portfolioName: string;
  /** `YYYY-MM-DD`. */
  readonly reportDate: string;
  readonly currency: 'BRL';
  readonly benchmark: 'CDI';
  /** Empty for the `empty_report` fault. */
  readonly rows: readonly ProfitabilityRow[];
}

// Rough CDI returns per period, in percent: the figures only need to look plausible.
const BENCHMARK_BASE_PCT: ReadonlyArray<readonly [string, number]> = [
  ['month', 0.87],
  ['year', 7.9],
  ['12m', 11.2],
  ['24m', 24.1],
  ['36m', 38.5],
];

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2025-02-30 is not). */
export function isValidReportDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (match === null) {
    return false;
  }
  const parsed = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return parsed.toISOString().slice(0, 10) === date;
}

/**
 * The report of a portfolio for a date. Its figures depend only on (portfolio, date),
 * not on the simulator's seed: the seed drives faults, not data, so a retried call
 * returns the same report as the first one would have.
 *
 * @param withRows false for the `empty_report` fault
 */
export function buildProfitabilityReport(
  portfolio: Portfolio,
  reportDate: string,
  withRows = true,
): ProfitabilityReport {
  const random = seededRandom(0, `report:${portfolio.portfolioId}:${reportDate}`);
  const rows = withRows
    ? BENCHMARK_BASE_PCT.map(([period, base]): ProfitabilityRow => {
        const benchmarkPct = round4(base * (0.95 + 0.1 * random()));
        const returnPct = round4(benchmarkPct * (0.7 + 0.6 * random()));
        return {
          period,
          returnPct,
          benchmarkPct,
          excessPct: round4(returnPct - benchmarkPct),
          percentOfBenchmark: round4((returnPct / benchmarkPct) * 100),
        };
      })
    : [];
  return {
    portfolioId: portfolio.portfolioId,
    portfolioName: portfolio.name,
    reportDate,
    currency: 'BRL',
    benchmark: 'CDI',
    rows,
  };
}
