import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Admin } from 'kafkajs';
import { Alert, TOPICS, topicName } from '@workpipe/contracts';
import { pipelineTopics, RegistrySerde, TopicProvisioner } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { AlertsAnswerSchema } from '@workpipe/stats-model';
import { ItemStory, type StoryEvent } from '../../libs/stats-model/src/testing/item-story';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';
import { getJson, startStats } from './support/stats-service';
import { StoryPublisher } from './support/story-topics';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Each rule of the seeds fires and clears once, with thresholds lowered
 * through the settings: the event on the alerts topic, the webhook receiving
 * it, and no second raise across a restart or a second instance.
 */
class AlertBench {
  readonly env: TestEnv;
  readonly webhook: WebhookReceiver;
  readonly apps: INestApplication[] = [];
  alerts!: TopicReader<typeof Alert.Schema>;
  private publisher!: StoryPublisher;
  private admin!: Admin;
  webhookUrl = '';

  constructor(name: string, webhookFailures = 0) {
    this.env = new TestEnv(name);
    this.webhook = new WebhookReceiver(webhookFailures);
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

  async start(settings: Record<string, string>): Promise<INestApplication> {
    const app = await startStats(this.env, {
      ALERT_EVALUATION_INTERVAL_MS: '200',
      ALERT_MIN_ACTIVE_MS: '0',
      ALERT_WEBHOOK_URL: this.webhookUrl,
      ALERT_WEBHOOK_TIMEOUT_MS: '2000',
      ...settings,
    });
    this.apps.push(app);
    return app;
  }

  async stop(app: INestApplication): Promise<void> {
    this.apps.splice(this.apps.indexOf(app), 1);
    await app.close();
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

  /** Waits until an instance has evaluated with the rule in the given state (its /metrics gauge). */
  async waitForEvaluated(app: INestApplication, rule: string, raised: 0 | 1): Promise<void> {
    await waitFor(
      async () => {
        const text = (await request(app.getHttpServer()).get('/metrics')).text;
        return text.includes(`workpipe_alerts_raised{rule="${rule}",service="stats"} ${raised}`);
      },
      { timeoutMs: 15_000, description: `${rule} evaluated as ${raised ? 'raised' : 'clear'}` },
    );
  }

  /** The rule as `GET /v1/alerts` answers it. */
  async alertOf(app: INestApplication, rule: string): Promise<Record<string, unknown>> {
    const answer = AlertsAnswerSchema.parse(await getJson(app, '/v1/alerts'));
    return answer.alerts.find((alert) => alert.rule === rule) as Record<string, unknown>;
  }

  async tearDown(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.close();
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

describe('alert LOW_SUCCESS_RATE', () => {
  const bench = new AlertBench('stats-alert-rate');
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('raises below the threshold once enough items are finished, survives a restart without re-raising, clears above threshold + margin', async () => {
    const settings = { ALERT_RULES: 'LOW_SUCCESS_RATE', ALERT_SUCCESS_RATE_MIN_FINISHED: '4', ALERT_SUCCESS_RATE_BELOW_PERCENT: '85' };
    let app = await bench.start(settings);
    // 1 of 3 finished: too few for a verdict, whatever the rate.
    await bench.publish(items('rate-a', 3, (s, i) => (i === 0 ? s.succeed(now()) : s.fail('TIMEOUT', now()).abandon('MAX_ATTEMPTS', now()))));
    await waitFor(async () => ((await getJson(app, '/v1/stats')).items as { abandoned: number }).abandoned === 2, { description: '2 abandoned' });
    await bench.waitForEvaluated(app, 'LOW_SUCCESS_RATE', 0);

    await bench.publish(items('rate-b', 1, (s) => s.succeed(now())));
    const raised = await bench.waitForAlert('RAISED');
    expect(raised).toMatchObject({ rule: 'LOW_SUCCESS_RATE', status: 'RAISED', severity: 'critical', value: 0.5, threshold: 0.85, unit: 'ratio', scope: { kind: 'overall' } });
    expect(raised.message).toBe('success rate 50.0% is below 85.0% (2 of 4 finished items succeeded)');
    expect(bench.webhook.bodies[0]).toEqual(raised);
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
    };
    expect(await bench.alertOf(app, 'LOW_SUCCESS_RATE')).toEqual(answered);

    await bench.stop(app);
    app = await bench.start(settings);
    await bench.waitForEvaluated(app, 'LOW_SUCCESS_RATE', 1);
    // Kept in Redis, not in the instance: the same answer after the restart.
    expect(await bench.alertOf(app, 'LOW_SUCCESS_RATE')).toEqual(answered);

    // 86% is inside the band (85% + 2 points): still raised; 22 of 24 (91.7%) clears.
    await bench.publish(items('rate-c', 2, (s) => s.succeed(now())));
    await bench.publish(items('rate-d', 18, (s) => s.succeed(now())));
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared).toMatchObject({ incidentId: raised.incidentId, alertId: `${raised.incidentId}:CLEARED`, clearThreshold: 0.87 });
    expect(cleared.clearedAt).toBeDefined();
    expect(await bench.alertOf(app, 'LOW_SUCCESS_RATE')).toMatchObject({ state: 'clear', since: cleared.clearedAt, incidentId: null, value: cleared.value, message: cleared.message });
    expect(bench.statuses()).toEqual(['LOW_SUCCESS_RATE:RAISED', 'LOW_SUCCESS_RATE:CLEARED']);
  });
});

describe('alert ACCUMULATED_FAILURES', () => {
  // The webhook fails its first request: the delivery is retried.
  const bench = new AlertBench('stats-alert-failures', 1);
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('raises once across two instances above the threshold and clears when the failures recover', async () => {
    const settings = { ALERT_RULES: 'ACCUMULATED_FAILURES', ALERT_FAILURES_ABOVE: '2', ALERT_FAILURES_CLEAR_MARGIN: '0' };
    const first = await bench.start(settings);
    const second = await bench.start(settings);
    const failing = Array.from({ length: 3 }, (_, i) => new ItemStory({ itemId: `fail-${i}`, batchId: 'fail', createdAtMs: now() }).submit().fail('API_ERROR', now()));
    await bench.publish(failing.flatMap((story) => story.events));
    const raised = await bench.waitForAlert('RAISED');
    expect(raised).toMatchObject({ rule: 'ACCUMULATED_FAILURES', value: 3, threshold: 2, unit: 'count' });
    expect(bench.webhook.requests).toBeGreaterThanOrEqual(2);
    // Whichever instance won the raise, both answer it.
    for (const app of [first, second]) {
      expect(await bench.alertOf(app, 'ACCUMULATED_FAILURES')).toMatchObject({ state: 'raised', incidentId: raised.incidentId, value: 3, threshold: 2, clearThreshold: 2 });
    }

    const recovering = failing.map((story) => {
      const before = story.events.length;
      story.retry(now()).succeed(now());
      return story.events.slice(before);
    });
    await bench.publish(recovering.flat());
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared).toMatchObject({ value: 0, incidentId: raised.incidentId });
    await bench.waitForEvaluated(first, 'ACCUMULATED_FAILURES', 0);
    await bench.waitForEvaluated(second, 'ACCUMULATED_FAILURES', 0);
    expect(bench.statuses()).toEqual(['ACCUMULATED_FAILURES:RAISED', 'ACCUMULATED_FAILURES:CLEARED']);
    expect(bench.webhook.bodies).toEqual(bench.alerts.values());
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

    const before = stuck.events.length;
    stuck.succeed(now());
    await bench.publish(stuck.events.slice(before));
    const cleared = await bench.waitForAlert('CLEARED');
    expect(cleared.incidentId).toBe(raised.incidentId);
    expect(((await getJson(app, '/v1/batches/stuck')).items as { pending: number }).pending).toBe(0);
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
  const bench = new AlertBench('stats-alert-webhook-down');
  beforeAll(() => bench.setUp());
  afterAll(() => bench.tearDown());

  it('never holds up the alerts topic or the materialization', async () => {
    const app = await bench.start({
      ALERT_RULES: 'ACCUMULATED_FAILURES',
      ALERT_FAILURES_ABOVE: '0',
      // Nothing listens there: every POST fails.
      ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/alerts',
      ALERT_WEBHOOK_RETRIES: '3',
    });
    await bench.publish(items('down', 1, (s) => s.fail('TIMEOUT', now())));
    await waitFor(() => bench.alerts.values().length === 1, { timeoutMs: 30_000, description: 'the alert on the topic' });
    await bench.publish(items('down-more', 50, (s) => s.succeed(now())));
    await waitFor(async () => ((await getJson(app, '/v1/stats')).items as { succeeded: number }).succeeded === 50, {
      timeoutMs: 30_000,
      description: 'materialization going on',
    });
    expect(bench.webhook.requests).toBe(0);
  });
});
