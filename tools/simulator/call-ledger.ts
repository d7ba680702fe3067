import { OUTCOMES, type Outcome } from './outcome';

/** What `GET /admin/stats` and `handle.stats()` report since start or the last reset. */
export interface SimulatorStats {
  /** Seed in use. */
  readonly seed: number;
  /** `name` of the failure profile in use. */
  readonly profileName: string;
  /** Report calls that reached the fault profile (each got a call index). */
  readonly totalCalls: number;
  /** Those calls per decided outcome; every outcome is present, 0 when unseen. */
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  /** Calls per portfolio id, i.e. the index of each portfolio's last call; absent = never called. */
  readonly callsByPortfolio: Readonly<Record<string, number>>;
  /** 429s from the simulator's own rate limit; they do not consume a call index. */
  readonly throttled: number;
  /** Report calls for an unknown portfolio id (404). */
  readonly notFound: number;
  /** Report calls rejected for an invalid `date` (400); they do not consume a call index. */
  readonly invalidRequests: number;
  /** Responses being held (`timeout`) or delayed (latency) right now. */
  readonly inFlight: number;
  /** Problematic portfolios of the profile for this seed, with their fault. */
  readonly alwaysFailing: ReadonlyArray<{ readonly portfolioId: string; readonly fault: Outcome }>;
  /** When counting started (start or last reset), ISO 8601. */
  readonly since: string;
}

/** The counters behind {@link SimulatorStats}. In memory only: a restart starts from call 1 again. */
export class CallLedger {
  private readonly callsByPortfolio = new Map<string, number>();
  private byOutcome = CallLedger.zeroOutcomes();
  private throttledCount = 0;
  private notFoundCount = 0;
  private invalidRequestCount = 0;
  private sinceMs: number;

  /** @param now clock in milliseconds since the epoch; default `Date.now` */
  constructor(private readonly now: () => number = Date.now) {
    this.sinceMs = now();
  }

  private static zeroOutcomes(): Record<Outcome, number> {
    return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  }

  /** Gives the portfolio's next call index, 1 for its first call. */
  nextCallIndex(portfolioId: string): number {
    const callIndex = (this.callsByPortfolio.get(portfolioId) ?? 0) + 1;
    this.callsByPortfolio.set(portfolioId, callIndex);
    return callIndex;
  }

  recordOutcome(outcome: Outcome): void {
    this.byOutcome[outcome] += 1;
  }

  recordThrottled(): void {
    this.throttledCount += 1;
  }

  recordNotFound(): void {
    this.notFoundCount += 1;
  }

  recordInvalidRequest(): void {
    this.invalidRequestCount += 1;
  }

  reset(): void {
    this.callsByPortfolio.clear();
    this.byOutcome = CallLedger.zeroOutcomes();
    this.throttledCount = 0;
    this.notFoundCount = 0;
    this.invalidRequestCount = 0;
    this.sinceMs = this.now();
  }

  /** The counters, with the context only the simulator knows. */
  snapshot(context: Pick<SimulatorStats, 'seed' | 'profileName' | 'inFlight' | 'alwaysFailing'>): SimulatorStats {
    const byOutcome = { ...this.byOutcome };
    return {
      seed: context.seed,
      profileName: context.profileName,
      totalCalls: Object.values(byOutcome).reduce((sum, count) => sum + count, 0),
      byOutcome,
      callsByPortfolio: Object.fromEntries(
        [...this.callsByPortfolio.entries()].sort(([left], [right]) => left.localeCompare(right)),
      ),
      throttled: this.throttledCount,
      notFound: this.notFoundCount,
      invalidRequests: this.invalidRequestCount,
      inFlight: context.inFlight,
      alwaysFailing: context.alwaysFailing,
      since: new Date(this.sinceMs).toISOString(),
    };
  }
}
