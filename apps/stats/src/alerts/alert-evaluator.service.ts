import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { Logger } from '@workpipe/logging';
import { InjectRootLogger } from '@workpipe/runtime';
import { ALERT_RULES, evaluateAlerts, INITIAL_ALERT_STATE } from '@workpipe/stats-model';
import { StatsReader } from '../reading/stats-reader.service';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { alertEventOf } from './alert-event';
import { AlertStore } from './alert-store';

const raisedAlerts = new Gauge({
  name: 'workpipe_alerts_raised',
  help: 'Alert rules currently raised (1) or clear (0), as last evaluated by this instance',
  labelNames: ['rule'],
});

/** Least time between two evaluations asked for by the materializer, in ms. */
const EVENT_TRIGGER_GAP_MS = 1_000;

/**
 * Evaluates the alert rules every ALERT_EVALUATION_INTERVAL_MS and soon after
 * each batch of events. A transition is stored with a compare-and-set on the
 * rule's state in Redis, together with its event in the outbox (delivered by
 * {@link AlertDispatcher}), and logged by the instance that won it: raised once,
 * cleared once, whatever the number of instances or restarts.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private triggered?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastRun = 0;

  constructor(
    @InjectRootLogger() logger: Logger,
    @Inject(STATS_SETTINGS) private readonly settings: StatsSettings,
    private readonly reader: StatsReader,
    private readonly store: AlertStore,
  ) {
    this.logger = logger.child({ component: 'alerts' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.evaluate(), this.settings.alerts.evaluationIntervalMs);
    void this.evaluate();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.triggered);
    await this.running;
  }

  /** Called after a batch of events: evaluates soon, at most once per second. */
  requestEvaluation(): void {
    if (this.stopped || this.triggered) return;
    const wait = Math.max(0, this.lastRun + EVENT_TRIGGER_GAP_MS - Date.now());
    this.triggered = setTimeout(() => {
      this.triggered = undefined;
      void this.evaluate();
    }, wait);
  }

  /** One evaluation of every enabled rule; overlapping calls are folded into one more run. */
  evaluate(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.evaluateOnce()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'alert evaluation failed; next one will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.evaluate();
        }
      });
    return this.running;
  }

  private async evaluateOnce(): Promise<void> {
    this.lastRun = Date.now();
    const thresholds = this.settings.alerts.thresholds;
    const nowMs = Date.now();
    const [metrics, states] = await Promise.all([
      this.reader.alertMetrics(nowMs, thresholds.errorRate.windowMinutes),
      this.store.states(),
    ]);
    for (const decision of evaluateAlerts(metrics, thresholds, states)) {
      const stored = states[decision.rule];
      const current = stored ?? { ...INITIAL_ALERT_STATE, version: 0 };
      if (decision.next === stored || (!stored && decision.next === INITIAL_ALERT_STATE)) continue;
      const event = decision.transition ? alertEventOf(decision.transition) : undefined;
      const won = await this.store.transition(decision.rule, current.version, decision.next, event);
      if (!won || !decision.transition || !event) continue;
      const log = { rule: event.rule, incidentId: event.incidentId, value: event.value, threshold: event.threshold, alertId: event.alertId };
      if (event.status === 'RAISED') this.logger.warn(log, `ALERT RAISED ${event.rule}: ${event.message}`);
      else this.logger.info(log, `alert cleared ${event.rule}: ${event.message}`);
    }
    const latest = await this.store.states();
    for (const rule of ALERT_RULES) raisedAlerts.set({ rule }, latest[rule]?.status === 'raised' ? 1 : 0);
  }
}
