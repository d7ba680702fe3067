import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { buildStatsView, type StatsView } from '@workpipe/stats-model';
import { StatsReader } from '../reading/stats-reader.service';

/** Scrapes within this long share one read of Redis, in ms. */
const CACHE_MS = 1_000;

let source: (() => Promise<StatsView | undefined>) | undefined;
let cached: { at: number; view: Promise<StatsView | undefined> } | undefined;

function overall(): Promise<StatsView | undefined> {
  const now = Date.now();
  if (!source) return Promise.resolve(undefined);
  if (!cached || now - cached.at > CACHE_MS) {
    const view = source().catch(() => undefined);
    cached = { at: now, view };
  }
  return cached.view;
}

/*
 * The overall numbers, as Prometheus reads them: computed from Redis at
 * scrape time, so every instance reports the same, exact, values (the counters
 * are global, not per process; a rebuild from the topics leaves them equal).
 */
const items = new Gauge({
  name: 'workpipe_items',
  help: 'Items by state: submitted, pending, succeeded, abandoned, retryable (failed, waiting for a retry)',
  labelNames: ['state'],
  async collect() {
    const view = await overall();
    this.reset();
    if (!view) return;
    for (const state of ['submitted', 'pending', 'succeeded', 'abandoned'] as const) this.set({ state }, view.items[state]);
    this.set({ state: 'retryable' }, view.failures.retryable);
  },
});

const failures = new Counter({
  name: 'workpipe_failures_total',
  help: 'Failed attempts by failure type (each attempt once)',
  labelNames: ['type'],
  async collect() {
    const view = await overall();
    this.reset();
    for (const [type, count] of Object.entries(view?.failures.attemptsByType ?? {})) this.inc({ type }, count);
  },
});

const abandoned = new Gauge({
  name: 'workpipe_abandoned_items',
  help: 'Abandoned items by reason (MAX_ATTEMPTS, NOT_RETRYABLE, CIRCUIT_OPEN)',
  labelNames: ['reason'],
  async collect() {
    const view = await overall();
    this.reset();
    for (const [reason, count] of Object.entries(view?.abandoned.byReason ?? {})) this.set({ reason }, count);
  },
});

function rateGauge(name: string, help: string, pick: (view: StatsView) => number | null): Gauge {
  return new Gauge({
    name,
    help: `${help} (fraction; NaN while undefined)`,
    async collect() {
      const view = await overall();
      const value = view ? pick(view) : null;
      this.set(value ?? Number.NaN);
    },
  });
}

const rates = [
  rateGauge('workpipe_success_rate', 'Succeeded / finished items', (v) => v.rates.success),
  rateGauge('workpipe_first_pass_success_rate', 'Items that succeeded on their first try / items whose first try is known', (v) => v.rates.firstPassSuccess),
  rateGauge('workpipe_recovery_rate', 'Items that succeeded after a failure / items that failed', (v) => v.rates.recovery),
];

const oldestPending = new Gauge({
  name: 'workpipe_oldest_pending_seconds',
  help: 'Age of the oldest pending item, in seconds (0 when nothing is pending)',
  async collect() {
    const view = await overall();
    this.set(view?.oldestPendingItemAt ? Math.max(0, (Date.now() - Date.parse(view.oldestPendingItemAt)) / 1000) : 0);
  },
});

const timeToSuccess = new Gauge({
  name: 'workpipe_time_to_success_seconds',
  help: 'Time from submission to success, by quantile (nearest rank, exact)',
  labelNames: ['quantile'],
  async collect() {
    const view = await overall();
    this.reset();
    if (!view) return;
    for (const [quantile, value] of [['0.5', view.timeToSuccessMs.p50], ['0.95', view.timeToSuccessMs.p95], ['0.99', view.timeToSuccessMs.p99]] as const) {
      if (value !== null) this.set({ quantile }, value / 1000);
    }
  },
});

/** Keeps the metrics above module-level (one registration per process) and points them at this app's reader. */
@Injectable()
export class StatsGauges implements OnModuleInit, OnApplicationShutdown {
  readonly metrics = [items, failures, abandoned, ...rates, oldestPending, timeToSuccess];

  constructor(private readonly reader: StatsReader) {}

  onModuleInit(): void {
    const reader = this.reader;
    source = async () => {
      const snapshot = await reader.snapshot();
      return snapshot && buildStatsView(snapshot);
    };
    cached = undefined;
  }

  onApplicationShutdown(): void {
    source = undefined;
    cached = undefined;
  }
}
