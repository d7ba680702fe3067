import type { Admin } from 'kafkajs';
import { Alert, TOPICS, topicName } from '@workpipe/contracts';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { AlertsWithDeliveryAnswerSchema, type WebhookDelivery } from '../../apps/stats/src/alerts/webhook-delivery';
import { ItemStory, type StoryEvent } from '../../libs/stats-model/src/testing/item-story';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';
import { removeCompiledStats, StatsProcess, type LogLine } from './support/stats-process';
import { StoryPublisher } from './support/story-topics';
import { WebhookReceiver, type WebhookReceiverOptions } from './support/webhook-receiver';

/**
 * Each rule of the seeds fires and clears once, with thresholds lowered
 * through the settings: the event on the alerts topic, the webhook receiving
 * it, and no second raise across a restart or a second instance. Each stats
 * instance is its own process (compiled from the sources once for the file),
 * so its /metrics and its log are its own.
 */
class AlertBench {
  readonly env: TestEnv;
  readonly webhook: WebhookReceiver;
  readonly instances: StatsProcess[] = [];
  alerts!: TopicReader<typeof Alert.Schema>;
  private publisher!: StoryPublisher;
  private admin!: Admin;
  private started = 0;
  webhookUrl = '';

  constructor(name: string, webhook: WebhookReceiverOptions = {}) {
    this.env = new TestEnv(name);
    this.webhook = new WebhookReceiver(webhook);
  }

  async setUp(): Promise<void> {
    const kafka = this.env.kafka();
    this.admin = kafka.admin();
    await this.admin.connect();
    const config = this.env.config('stats');
    const serde = new RegistrySerde(config.schemaRegistry);
    await new TopicProvisioner(this.admin, createLogger({ service: 'test', level: 'warn' })).ensure(
      pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']),
    );
    this.publisher = new StoryPublisher(kafka, serde, this.env.topicPrefix);
    await this.publisher.connect();
    this.alerts = await new TopicReader(kafka, serde, topicName(this.env.topicPrefix, TOPICS.alerts), Alert, `${this.env.id}-alerts`).start();
    this.webhookUrl = await this.webhook.start();
  }

  /** Starts a stats instance pointed at this bench's webhook receiver. */
  async start(settings: Record<string, string>): Promise<StatsProcess> {
    const instance = await StatsProcess.start(this.env, `stats-${++this.started}`, {
      ALERT_EVALUATION_INTERVAL_MS: '200',
      ALERT_MIN_ACTIVE_MS: '0',
      ALERT_WEBHOOK_URL: this.webhookUrl,
      ALERT_WEBHOOK_TIMEOUT_MS: '2000',
      ALERT_WEBHOOK_BACKOFF_MS: '200',
      ...settings,
    });
    this.instances.push(instance);
    return instance;
  }

  publish(events: readonly StoryEvent[]): Promise<void> {
    return this.publisher.publish(events);
  }

  statuses(): string[] {
    return this.alerts.values().map((alert) => `${alert.rule}:${alert.status}`);
  }

  async waitForAlert(status: 'RAISED' | 'CLEARED', count = 1): Promise<Alert.Value> {
    await waitFor(() => this.alerts.values().filter((a) => a.status === status).length >= count, {
      timeoutMs: 30_000,
      description: `${count} ${status} alert(s) on the alerts topic`,
    });
    await waitFor(() => this.webhook.bodies.filter((b) => (b as Alert.Value).status === status).length >= count, {
      timeoutMs: 30_000,
      description: `${count} ${status} alert(s) at the webhook`,
    });
    return this.alerts.values().filter((a) => a.status === status)[count - 1] as Alert.Value;
  }

  /** Waits until this instance has evaluated with the rule in the given state (its own /metrics gauge). */
  async waitForEvaluated(instance: StatsProcess, rule: string, raised: 0 | 1): Promise<void> {
    await waitFor(async () => (await instance.metric(`workpipe_alerts_raised{rule="${rule}",service="stats"}`)) === raised, {
      timeoutMs: 15_000,
      description: `${rule} evaluated by ${instance.name} as ${raised ? 'raised' : 'clear'}`,
    });
  }

  /** The rule as `GET /v1/alerts` answers it. */
  async alertOf(instance: StatsProcess, rule: string): Promise<Record<string, unknown>> {
    const answer = AlertsWithDeliveryAnswerSchema.parse(await instance.getJson('/v1/alerts'));
    return answer.alerts.find((alert) => alert.rule === rule) as Record<string, unknown>;
  }

  /** Waits until the rule's webhook delivery (`GET /v1/alerts`) is of `alertId` and in `state`. */
  async waitForDelivery(instance: StatsProcess, rule: string, alertId: string, state: WebhookDelivery['state'], timeoutMs = 30_000): Promise<WebhookDelivery> {
    return waitFor(
      async () => {
        const delivery = (await this.alertOf(instance, rule)).delivery as WebhookDelivery | null;
        return delivery?.alertId === alertId && delivery.state === state ? delivery : undefined;
      },
      { timeoutMs, intervalMs: 200, description: `the webhook delivery of ${alertId} ${state}` },
    );
  }

  /** The `ALERT RAISED` lines the instances logged. */
  raisedLines(...instances: StatsProcess[]): LogLine[] {
    return instances.flatMap((instance) => instance.logs()).filter((line) => line.msg.startsWith('ALERT RAISED '));
  }

  async tearDown(): Promise<void> {
    for (const instance of this.instances.splice(0)) await instance.stop();
    await this.alerts?.stop();
    await this.publisher?.disconnect();
    await this.admin?.disconnect();
    await this.webhook.stop();
    await this.env.cleanup();
  }
}

const now = () => Date.now();

function items(prefix: string, count: number, build: (story: ItemStory, i: number) => void, createdAtMs = now()): StoryEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const story = new ItemStory({ itemId: `${prefix}-${i}`, batchId: prefix.split('-')[0], createdAtMs }).submit();
    build(story, i);
    return story.events;
  }).flat();
}

/** One story's events after `build` (an item's next steps, published on their own). */
function next(story: ItemStory, build: (story: ItemStory) => void): StoryEvent[] {
  const before = story.events.length;
  build(story);
  return story.events.slice(before);
}

afterAll(() => removeCompiledStats());

describe('alert LOW_SUCCESS_RATE', () => {
  const bench = new AlertBench('stats-alert-rate');
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('raises below the threshold once enough items are finished, survives a restart without re-raising, clears above threshold + margin', async () => {
    const settings = { ALERT_RULES: 'LOW_SUCCESS_RATE', ALERT_SUCCESS_RATE_MIN_FINISHED: '4', ALERT_SUCCESS_RATE_BELOW_PERCENT: '85' };
    const first = await bench.start(settings);
    // 1 of 3 finished: too few for a verdict, whatever the rate.
    await bench.publish(items('rate-a', 3, (s, i) => (i === 0 ? s.succeed(now()) : s.fail('TIMEOUT', now()).abandon('MAX_ATTEMPTS', now()))));
    await waitFor(async () => ((await first.getJson('/v1/stats')).items as { abandoned: number }).abandoned === 2, { description: '2 abandoned' });
    await bench.waitForEvaluated(first, 'LOW_SUCCESS_RATE', 0);

    await bench.publish(items('rate-b', 1, (s) => s.succeed(now())));
    const raised = await bench.waitForAlert('RAISED');
    expect(raised).toMatchObject({ rule: 'LOW_SUCCESS_RATE', status: 'RAISED', severity: 'critical', value: 0.5, threshold: 0.85, unit: 'ratio', scope: { kind: 'overall' } });
    expect(raised.message).toBe('success rate 50.0% is below 85.0% (2 of 4 finished items succeeded)');
    expect(bench.webhook.bodies[0]).toEqual(raised);
    // Logged, at warn, by the instance that raised it.
    const [line] = await waitFor(() => (bench.raisedLines(first).length > 0 ? bench.raisedLines(first) : undefined), { description: 'the ALERT RAISED line' });
    expect(line).toMatchObject({
      level: 'warn',
      msg: `ALERT RAISED LOW_SUCCESS_RATE: ${raised.message}`,
      rule: 'LOW_SUCCESS_RATE',
      alertId: raised.alertId,
      incidentId: raised.incidentId,
      value: 0.5,
      threshold: 0.85,
    });
    const delivery = await bench.waitForDelivery(first, 'LOW_SUCCESS_RATE', raised.alertId, 'delivered');
    const answered = {
      rule: 'LOW_SUCCESS_RATE',
      enabled: true,
      state: 'raised',
      since: raised.raisedAt,
      incidentId: raised.incidentId,
      severity: 'critical',
      unit: 'ratio',
      value: 0.5,
      threshold: 0.85,
      clearThreshold: 0.87,
      message: raised.message,
      delivery: { alertId: raised.alertId, status: 'RAISED', occurredAt: raised.occurredAt, state: 'delivered', attempts: 1, lastError: null, nextAttemptAt: null, updatedAt: delivery.updatedAt },
    };
    expect(await bench.alertOf(first, 'LOW_SUCCESS_RATE')).toEqual(answered);

    await first.stop();
    const second = await bench.start(settings);
    // Its own gauge: this instance evaluated, and found the rule raised (no second raise).
    await bench.waitForEvaluated(second, 'LOW_SUCCESS_RATE', 1);
    // Kept in Redis, not in the instance: the same answer after the restart.
    expect(await bench.alertOf(second, 'LOW_SUCCESS_RATE')).toEqual(answered);

    // 86% is inside the band (85% + 2 points): still raised; 22 of 24 (91.7%) clears.
    await bench.publish(items('rate-c', 2, (s) => s.succeed(now())));
    await bench.publish(items('rate-d', 18, (s) => s.succeed(now())));
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared).toMatchObject({ incidentId: raised.incidentId, alertId: `${raised.incidentId}:CLEARED`, clearThreshold: 0.87 });
    expect(cleared.clearedAt).toBeDefined();
    expect(await bench.alertOf(second, 'LOW_SUCCESS_RATE')).toMatchObject({ state: 'clear', since: cleared.clearedAt, incidentId: null, value: cleared.value, message: cleared.message });
    await bench.waitForDelivery(second, 'LOW_SUCCESS_RATE', cleared.alertId, 'delivered');
    expect(bench.statuses()).toEqual(['LOW_SUCCESS_RATE:RAISED', 'LOW_SUCCESS_RATE:CLEARED']);
    expect(bench.raisedLines(first, second)).toHaveLength(1);
  });
});

describe('alert ACCUMULATED_FAILURES', () => {
  // The webhook fails its first request: the delivery is retried.
  const bench = new AlertBench('stats-alert-failures', { failFirst: 1 });
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('raises once across two instances above the threshold and clears when the failures recover', async () => {
    const settings = { ALERT_RULES: 'ACCUMULATED_FAILURES', ALERT_FAILURES_ABOVE: '2', ALERT_FAILURES_CLEAR_MARGIN: '0' };
    const [first, second] = await Promise.all([bench.start(settings), bench.start(settings)]);
    const failing = Array.from({ length: 3 }, (_, i) => new ItemStory({ itemId: `fail-${i}`, batchId: 'fail', createdAtMs: now() }).submit().fail('API_ERROR', now()));
    await bench.publish(failing.flatMap((story) => story.events));
    const raised = await bench.waitForAlert('RAISED');
    expect(raised).toMatchObject({ rule: 'ACCUMULATED_FAILURES', value: 3, threshold: 2, unit: 'count' });
    expect(bench.webhook.requestsOf(raised.alertId).map((request) => request.answer)).toEqual([503, 204]);
    // Whichever instance won the raise, both answer it, and its delivery after the retry.
    for (const app of [first, second]) {
      expect(await bench.alertOf(app, 'ACCUMULATED_FAILURES')).toMatchObject({ state: 'raised', incidentId: raised.incidentId, value: 3, threshold: 2, clearThreshold: 2 });
      expect(await bench.waitForDelivery(app, 'ACCUMULATED_FAILURES', raised.alertId, 'delivered')).toMatchObject({ attempts: 2, lastError: 'HTTP 503' });
    }
    await waitFor(() => bench.raisedLines(first, second).length > 0, { description: 'the ALERT RAISED line' });

    await bench.publish(failing.flatMap((story) => next(story, (s) => s.retry(now()).succeed(now()))));
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared).toMatchObject({ value: 0, incidentId: raised.incidentId });
    await bench.waitForEvaluated(first, 'ACCUMULATED_FAILURES', 0);
    await bench.waitForEvaluated(second, 'ACCUMULATED_FAILURES', 0);
    expect(bench.statuses()).toEqual(['ACCUMULATED_FAILURES:RAISED', 'ACCUMULATED_FAILURES:CLEARED']);
    expect(bench.webhook.bodies).toEqual(bench.alerts.values());
    // Raised, and logged, by one instance of the two.
    expect(bench.raisedLines(first, second).map((line) => line.alertId)).toEqual([raised.alertId]);
  });
});

describe('alert STUCK_PENDING', () => {
  const bench = new AlertBench('stats-alert-stuck');
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('raises when an item has been pending for more than 1 h and clears when it finishes', async () => {
    const app = await bench.start({ ALERT_RULES: 'STUCK_PENDING' });
    const stuck = new ItemStory({ itemId: 'stuck-1', batchId: 'stuck', createdAtMs: now() - 2 * 3_600_000 }).submit();
    await bench.publish([...stuck.events, ...items('fresh', 2, () => undefined)]);
    const raised = await bench.waitForAlert('RAISED');
    expect(raised).toMatchObject({ rule: 'STUCK_PENDING', threshold: 3_600_000, unit: 'ms' });
    expect(raised.value).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(raised.message).toMatch(/^oldest pending item age 2\.0 h is above 1\.0 h/);

    await bench.publish(next(stuck, (s) => s.succeed(now())));
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared.incidentId).toBe(raised.incidentId);
    expect(((await app.getJson('/v1/batches/stuck')).items as { pending: number }).pending).toBe(0);
    expect(bench.statuses()).toEqual(['STUCK_PENDING:RAISED', 'STUCK_PENDING:CLEARED']);
  });
});

describe('alert HIGH_ERROR_RATE', () => {
  const bench = new AlertBench('stats-alert-errors');
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('raises when failed attempts in the window exceed the rate and clears below rate - margin', async () => {
    await bench.start({
      ALERT_RULES: 'HIGH_ERROR_RATE',
      ALERT_ERROR_RATE_ABOVE_PERCENT: '50',
      ALERT_ERROR_RATE_CLEAR_MARGIN_PERCENT: '10',
      ALERT_ERROR_RATE_MIN_ATTEMPTS: '4',
    });
    await bench.publish(items('err-a', 4, (s) => s.fail('API_ERROR', now())));
    const raised = await bench.waitForAlert('RAISED');
    expect(raised).toMatchObject({ rule: 'HIGH_ERROR_RATE', value: 1, threshold: 0.5, clearThreshold: 0.4 });
    expect(raised.message).toBe('error rate 100.0% is above 50.0% (4 of 4 attempts failed in the last 5 min)');

    await bench.publish(items('err-b', 20, (s) => s.succeed(now())));
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared.value).toBeCloseTo(4 / 24);
    expect(bench.statuses()).toEqual(['HIGH_ERROR_RATE:RAISED', 'HIGH_ERROR_RATE:CLEARED']);
  });
});

describe('a failing webhook', () => {
  // The configured webhook is this receiver, and it answers every request 500.
  const bench = new AlertBench('stats-alert-webhook-down', { failFirst: Infinity, failStatus: 500 });
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('never holds up the alerts topic or the materialization, and records the delivery failed after its retries (log, /metrics, /v1/alerts)', async () => {
    const app = await bench.start({ ALERT_RULES: 'ACCUMULATED_FAILURES', ALERT_FAILURES_ABOVE: '0', ALERT_WEBHOOK_RETRIES: '2' });
    await bench.publish(items('down', 1, (s) => s.fail('TIMEOUT', now())));
    await waitFor(() => bench.alerts.values().length === 1, { timeoutMs: 30_000, description: 'the alert on the topic' });
    const [raised] = bench.alerts.values() as [Alert.Value];
    await bench.publish(items('down-more', 50, (s) => s.succeed(now())));
    await waitFor(async () => ((await app.getJson('/v1/stats')).items as { succeeded: number }).succeeded === 50, {
      timeoutMs: 30_000,
      description: 'materialization going on',
    });

    // Tried 1 + ALERT_WEBHOOK_RETRIES times, then recorded failed: in /v1/alerts, /metrics and the log.
    const delivery = await bench.waitForDelivery(app, 'ACCUMULATED_FAILURES', raised.alertId, 'failed');
    expect(delivery).toMatchObject({ status: 'RAISED', attempts: 3, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(bench.webhook.requestsOf(raised.alertId).map((request) => request.answer)).toEqual([500, 500, 500]);
    expect(bench.webhook.bodies).toEqual([]);
    expect(await app.metric('workpipe_alert_webhook_deliveries_total{outcome="failed",service="stats"}')).toBe(1);
    expect(await app.metric('workpipe_alert_webhook_attempts_total{result="error",service="stats"}')).toBe(3);
    const failed = await waitFor(() => app.logs().find((line) => line.level === 'error' && line.alertId === raised.alertId), { description: 'the error line' });
    expect(failed).toMatchObject({ rule: 'ACCUMULATED_FAILURES', attempts: 3, lastError: 'HTTP 500' });
    expect(failed.msg).toContain('alert webhook unreachable');
    expect(bench.statuses()).toEqual(['ACCUMULATED_FAILURES:RAISED']);
  });
});

describe('a hanging webhook', () => {
  // Accepts the STUCK_PENDING raise and never answers it; answers everything else.
  const bench = new AlertBench('stats-alert-webhook-hangs', { hang: (body) => body.rule === 'STUCK_PENDING' && body.status === 'RAISED' });
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('is cut off at the timeout and retried, while the other alerts are raised, cleared and delivered; then recorded failed', async () => {
    // The hung delivery: 3 tries of 10 s each (the timeout), 1 s and 2 s apart. The other rule's
    // events take a second or two from publication to the webhook: they come while a hung try is open.
    const app = await bench.start({
      ALERT_RULES: 'STUCK_PENDING,ACCUMULATED_FAILURES',
      ALERT_FAILURES_ABOVE: '0',
      ALERT_FAILURES_CLEAR_MARGIN: '0',
      ALERT_WEBHOOK_TIMEOUT_MS: '10000',
      ALERT_WEBHOOK_RETRIES: '2',
      ALERT_WEBHOOK_BACKOFF_MS: '1000',
      ALERT_WEBHOOK_BACKOFF_MAX_MS: '4000',
    });
    const stuck = new ItemStory({ itemId: 'stuck-1', batchId: 'stuck', createdAtMs: now() - 2 * 3_600_000 }).submit();
    await bench.publish(stuck.events);
    const stuckRaised = await waitFor(() => bench.alerts.values().find((a) => a.rule === 'STUCK_PENDING'), { description: 'the STUCK_PENDING raise on the topic' });
    await waitFor(() => bench.webhook.hungOpenNow === 1, { description: 'the webhook holding the STUCK_PENDING raise' });

    const failing = new ItemStory({ itemId: 'fail-1', batchId: 'fail', createdAtMs: now() }).submit().fail('API_ERROR', now());
    await bench.publish(failing.events);
    const otherRaised = await waitFor(() => bench.webhook.received.find((r) => r.answer === 204 && (r.body as Alert.Value).rule === 'ACCUMULATED_FAILURES'), {
      description: 'the other raise delivered',
    });
    await bench.publish(next(failing, (s) => s.retry(now()).succeed(now())));
    await waitFor(() => bench.webhook.bodies.some((b) => (b as Alert.Value).status === 'CLEARED'), { description: 'the other clear delivered' });
    // POSTed side by side with a hung try, not after it, and while the hung delivery was still being tried.
    expect(otherRaised.hungOpenOnArrival).toBe(1);
    expect((await bench.alertOf(app, 'STUCK_PENDING')).delivery).toMatchObject({ alertId: stuckRaised.alertId, state: 'pending' });

    const delivery = await bench.waitForDelivery(app, 'STUCK_PENDING', stuckRaised.alertId, 'failed', 90_000);
    expect(delivery).toMatchObject({ attempts: 3, lastError: 'no answer within 10000 ms (timed out)' });
    expect(bench.webhook.requestsOf(stuckRaised.alertId).map((request) => request.answer)).toEqual(['hung', 'hung', 'hung']);
    // Each try was given up (its connection closed) before the next one came.
    expect(bench.webhook.requestsOf(stuckRaised.alertId).map((request) => request.hungOpenOnArrival)).toEqual([0, 0, 0]);
    expect(await app.metric('workpipe_alert_webhook_deliveries_total{outcome="failed",service="stats"}')).toBe(1);
    expect(await app.metric('workpipe_alert_webhook_deliveries_total{outcome="delivered",service="stats"}')).toBe(2);
    const failed = await waitFor(() => app.logs().find((line) => line.level === 'error' && line.alertId === stuckRaised.alertId), { description: 'the error line' });
    expect(failed).toMatchObject({ rule: 'STUCK_PENDING', attempts: 3 });

    // The rule still clears, and that event is delivered.
    await bench.publish(next(stuck, (s) => s.succeed(now())));
    const stuckCleared = await waitFor(() => bench.alerts.values().find((a) => a.rule === 'STUCK_PENDING' && a.status === 'CLEARED'), { description: 'the STUCK_PENDING clear' });
    await bench.waitForDelivery(app, 'STUCK_PENDING', stuckCleared.alertId, 'delivered');
    // Two rules, two partitions of the alerts topic: compared as sets.
    expect(bench.statuses().sort()).toEqual(['ACCUMULATED_FAILURES:CLEARED', 'ACCUMULATED_FAILURES:RAISED', 'STUCK_PENDING:CLEARED', 'STUCK_PENDING:RAISED']);
    const delivered = bench.webhook.bodies.map((b) => (b as Alert.Value).alertId).sort();
    expect(delivered).toEqual(bench.alerts.values().filter((a) => a.alertId !== stuckRaised.alertId).map((a) => a.alertId).sort());
  }, 180_000);
});

describe('a webhook failing its first tries', () => {
  const bench = new AlertBench('stats-alert-webhook-retry', { failFirst: 2, failStatus: 500 });
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('gets the alert exactly once, after two 500s and two retries', async () => {
    const app = await bench.start({ ALERT_RULES: 'ACCUMULATED_FAILURES', ALERT_FAILURES_ABOVE: '0', ALERT_WEBHOOK_RETRIES: '3' });
    await bench.publish(items('flaky', 1, (s) => s.fail('API_ERROR', now())));
    const raised = await bench.waitForAlert('RAISED');
    // Recorded delivered: nothing more is tried for it.
    const delivery = await bench.waitForDelivery(app, 'ACCUMULATED_FAILURES', raised.alertId, 'delivered');
    expect(delivery).toMatchObject({ attempts: 3, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(bench.webhook.requestsOf(raised.alertId).map((request) => request.answer)).toEqual([500, 500, 204]);
    expect(bench.webhook.bodies).toEqual([raised]);
    expect(await app.metric('workpipe_alert_webhook_deliveries_total{outcome="delivered",service="stats"}')).toBe(1);
    expect(await app.metric('workpipe_alert_webhook_deliveries_total{outcome="failed",service="stats"}')).toBeUndefined();
    expect(await app.metric('workpipe_alert_webhook_attempts_total{result="error",service="stats"}')).toBe(2);
    expect(app.logs().filter((line) => line.alertId === raised.alertId && line.msg === 'alert webhook try failed; retrying').map((line) => line.attempt)).toEqual([1, 2]);
  });
});

describe('a webhook delivery waiting for its retry', () => {
  const bench = new AlertBench('stats-alert-webhook-resume', { failFirst: 1, failStatus: 500 });
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('is resumed by the next instance after kill -9, with the tries already made', async () => {
    // The retry is due 35 s after the first try: past the 30 s after which an idle outbox entry is taken over.
    const settings = { ALERT_RULES: 'ACCUMULATED_FAILURES', ALERT_FAILURES_ABOVE: '0', ALERT_WEBHOOK_RETRIES: '2', ALERT_WEBHOOK_BACKOFF_MS: '35000' };
    const first = await bench.start(settings);
    await bench.publish(items('resume', 1, (s) => s.fail('API_ERROR', now())));
    const raised = await waitFor(() => bench.alerts.values()[0], { description: 'the alert on the topic' });
    const failedOnce = await waitFor(
      async () => {
        const delivery = (await bench.alertOf(first, 'ACCUMULATED_FAILURES')).delivery as WebhookDelivery | null;
        return delivery?.alertId === raised.alertId && delivery.attempts === 1 ? delivery : undefined;
      },
      { description: 'the first try recorded' },
    );
    expect(failedOnce).toMatchObject({ state: 'pending', lastError: 'HTTP 500' });
    await first.kill();

    const second = await bench.start(settings);
    const delivery = await bench.waitForDelivery(second, 'ACCUMULATED_FAILURES', raised.alertId, 'delivered', 90_000);
    expect(delivery).toMatchObject({ attempts: 2, lastError: 'HTTP 500' });
    expect(bench.webhook.requestsOf(raised.alertId).map((request) => request.answer)).toEqual([500, 204]);
    expect(bench.webhook.bodies).toEqual([raised]);
    expect(await second.metric('workpipe_alert_webhook_attempts_total{result="ok",service="stats"}')).toBe(1);
    // Published once: the second instance took up the delivery, not the event.
    expect(bench.statuses()).toEqual(['ACCUMULATED_FAILURES:RAISED']);
  }, 180_000);
});
