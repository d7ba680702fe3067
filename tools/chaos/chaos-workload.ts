import type { ItemCandidate } from '../../apps/cli/src/submit/item-candidate';
import type { FailureProfileSource } from '../simulator/load-failure-profile';
import { PORTFOLIOS } from '../simulator/portfolios';

/** The work type of a chaos run's items, served by the processor's built-in `http` handler. */
export const CHAOS_WORK_TYPE = 'portfolio-report';

/**
 * The downstream's behaviour in a chaos run: the simulator's incident profile made quicker. Some
 * calls fail and are retried (500s, 429s, short timeouts), some first calls fail for good (401,
 * abandoned at once; an empty report or a malformed body, retried once), and three portfolios
 * fail every call, so their items are abandoned after their last attempt.
 */
export const CHAOS_FAILURE_PROFILE: FailureProfileSource = {
  extends: 'seed',
  firstCallFaultRate: 0.3,
  retryFaultRate: 0.15,
  faultMix: { server_error: 50, timeout: 10, rate_limited: 10, empty_report: 15, unauthorized: 5, malformed: 10 },
  retryFaultMix: { server_error: 70, timeout: 10, rate_limited: 20 },
  alwaysFailing: 3,
  retryAfterSeconds: 1,
  timeoutHoldMs: 300,
  latencyMs: [1, 5],
};

/** WORK_TYPES for the processors: the simulator's report endpoint. */
export function chaosWorkTypes(simulatorUrl: string): string {
  return JSON.stringify({
    [CHAOS_WORK_TYPE]: {
      handler: 'http',
      url: `${simulatorUrl}/portfolios/{portfolioId}/profitability-report?date={date}`,
      timeoutMs: 2_000,
    },
  });
}

/** `count` items over the 104 portfolios (the item's key), each with its own id and report date. */
export function chaosItems(runId: string, count: number): ItemCandidate[] {
  const day = 86_400_000;
  const firstDay = Date.parse('2020-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, n) => {
    const portfolio = PORTFOLIOS[n % PORTFOLIOS.length] as (typeof PORTFOLIOS)[number];
    const date = new Date(firstDay + Math.floor(n / PORTFOLIOS.length) * day).toISOString().slice(0, 10);
    return { itemId: `chaos-${runId}-${n}`, key: portfolio.portfolioId, type: CHAOS_WORK_TYPE, payload: { portfolioId: portfolio.portfolioId, date } };
  });
}
