import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Counter } from 'prom-client';
import type { AppConfig } from '@workpipe/config';
import { Alert, TOPICS, topicName } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectKafka, InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { StatsKeys } from '../redis/stats-keys';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { AlertOutbox, type OutboxEntry, type WebhookStage } from './alert-outbox';
import { AlertWebhook } from './alert-webhook';
import { webhookRetryDelayMs, type WebhookBackoffOptions } from './webhook-backoff';
import type { WebhookDelivery } from './webhook-delivery';

const GROUP = 'dispatch';
/** An entry another instance took and did not refresh for this long is taken over, in ms. */
const CLAIM_IDLE_MS = 30_000;
/** How often the entries held (waiting for a retry, or being POSTed) are refreshed, in ms: well within CLAIM_IDLE_MS. */
const REFRESH_MS = 10_000;
const BLOCK_MS = 1_000;
const READ_COUNT = 20;
/** Most webhook deliveries one instance holds at once; past it, it reads no more (others may). */
const MAX_HELD = 100;

const webhookDeliveries = new Counter({
  name: 'workpipe_alert_webhook_deliveries_total',
  help: 'Alert events whose webhook delivery this instance finished: delivered (a 2xx), or failed (every try failed; not tried again)',
  labelNames: ['outcome'],
});

const webhookAttempts = new Counter({
  name: 'workpipe_alert_webhook_attempts_total',
  help: 'Alert webhook POSTs made by this instance, by result: ok (a 2xx) or error (a connection error, the timeout, any other answer)',
  labelNames: ['result'],
});

/** A webhook delivery this instance holds: waiting for its due time, or being POSTed. */
interface HeldDelivery {
  entryId: string;
  alertJson: string;
  alert: Alert.Value;
  stage: WebhookStage;
  timer?: NodeJS.Timeout;
  trying?: Promise<void>;
}

/**
 * Delivers queued alert events. An event is published to the alerts topic (durably: acks from
 * all replicas); then, with a webhook configured, its entry is replaced by one waiting for the
 * POST. Each POST is bounded by ALERT_WEBHOOK_TIMEOUT_MS; a failed one (connection error,
 * timeout, any answer but 2xx) replaces the entry by one due after the backoff
 * ({@link webhookRetryDelayMs}), with the count of tries and the error, until
 * ALERT_WEBHOOK_RETRIES + 1 tries failed: then the delivery is recorded `failed` (a log line at
 * error, `workpipe_alert_webhook_deliveries_total{outcome="failed"}`, `GET /v1/alerts`).
 *
 * Deliveries wait and run side by side, off the read loop: a hanging or failing webhook holds up
 * neither the other alerts (their publication and their POSTs) nor the materialization (this
 * runs on its own Redis connections). The state of each delivery is its outbox entry, so a crash
 * or a restart resumes it (another instance takes over an entry left idle for 30 s; on a clean
 * shutdown the waiting ones are queued again at once), with the tries already made. A crash
 * between a POST and its record posts again: receivers see the same `x-alert-id`.
 */
@Injectable()
export class AlertDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly reader: Redis;
  private readonly writer: Redis;
  private readonly outbox: AlertOutbox;
  private readonly publisher: EventPublisher;
  private readonly webhook?: AlertWebhook;
  private readonly retries: number;
  private readonly backoff: WebhookBackoffOptions;
  private readonly logger: Logger;
  private readonly topic: string;
  private readonly held = new Map<string, HeldDelivery>();
  private loop?: Promise<void>;
  private refreshTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectKafka() kafka: Kafka,
    @InjectRedis() redis: Redis,
    @InjectRootLogger() logger: Logger,
    @Inject(RegistrySerde) serde: RegistrySerde,
    @Inject(STATS_SETTINGS) settings: StatsSettings,
    keys: StatsKeys,
  ) {
    this.logger = logger.child({ component: 'alert-dispatcher' });
    // Neither the blocking reads nor the deliveries' writes go through the materializer's connection.
    this.reader = redis.duplicate({ connectionName: 'workpipe-stats-alerts' });
    this.writer = redis.duplicate({ connectionName: 'workpipe-stats-alerts-writer' });
    for (const connection of [this.reader, this.writer]) connection.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'redis error'));
    const consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.outbox = new AlertOutbox(this.reader, this.writer, keys.alertOutbox(), keys.alerts(), GROUP, consumer);
    this.publisher = new EventPublisher(kafka, serde, this.logger, { timeoutMs: config.publishTimeoutMs, connectTimeoutMs: config.kafka.connectTimeoutMs });
    this.topic = topicName(config.kafka.topicPrefix, TOPICS.alerts);
    const { webhookUrl, webhookTimeoutMs, webhookRetries, webhookBackoffMs, webhookBackoffMaxMs } = settings.alerts;
    if (webhookUrl) this.webhook = new AlertWebhook({ url: webhookUrl, timeoutMs: webhookTimeoutMs });
    this.retries = webhookRetries;
    this.backoff = { baseMs: webhookBackoffMs, maxMs: webhookBackoffMaxMs };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    await this.outbox.ensureGroup();
    this.loop = this.run();
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    await this.loop;
    // A POST under way ends within its timeout; a delivery waiting for its retry is queued again
    // as it is, for another instance (or the next start) to take at once rather than after the claim time.
    await Promise.all(
      [...this.held.values()].map((delivery) => {
        if (delivery.trying) return delivery.trying;
        clearTimeout(delivery.timer);
        return this.outbox
          .settle(delivery.entryId, { successor: { alertJson: delivery.alertJson, stage: delivery.stage } })
          .catch((error: Error) => this.logger.warn({ err: error.message, alertId: delivery.alert.alertId }, 'could not queue a waiting alert webhook delivery again; it is taken over later'));
      }),
    );
    this.reader.disconnect();
    this.writer.disconnect();
    await this.publisher.disconnect();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.held.size >= MAX_HELD) {
          await sleep(BLOCK_MS);
          continue;
        }
        const claimed = await this.outbox.claimAbandoned(CLAIM_IDLE_MS, READ_COUNT);
        const entries = claimed.length > 0 ? claimed : await this.outbox.readNew(BLOCK_MS, READ_COUNT);
        for (const entry of entries) {
          if (this.stopped) return;
          await this.dispatch(entry);
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: (error as Error).message }, 'alert delivery failed; retrying');
        await sleep(1_000);
      }
    }
  }

  private async dispatch(entry: OutboxEntry): Promise<void> {
    if (entry.kind === 'malformed') {
      this.logger.error({ entry: entry.id }, 'malformed entry in the alert outbox; dropped');
      await this.outbox.settle(entry.id);
      return;
    }
    const alert = entry.alert;
    if (entry.kind === 'event') {
      await this.publisher.publish(this.topic, Alert, [
        { key: alert.rule, value: alert, headers: { 'x-alert-id': alert.alertId, 'x-alert-status': alert.status } },
      ]);
      if (!this.webhook) {
        await this.outbox.settle(entry.id);
        return;
      }
      const stage: WebhookStage = { attempts: 0, dueAtMs: Date.now(), lastError: null };
      await this.outbox.settle(entry.id, { successor: { alertJson: entry.alertJson, stage }, record: this.record(alert, 'pending', stage) });
      return;
    }
    // Claimed back after a missed refresh: already held here.
    if (this.held.has(entry.id)) return;
    if (!this.webhook) {
      // Queued by an instance with a webhook; this one has none to POST to.
      const stage = { ...entry.stage, lastError: 'ALERT_WEBHOOK_URL is not set on the instance that took the delivery' };
      if (await this.outbox.settle(entry.id, { record: this.record(alert, 'failed', stage) })) this.recordFailed(alert, stage);
      return;
    }
    this.hold({ entryId: entry.id, alertJson: entry.alertJson, alert, stage: entry.stage });
  }

  /** Waits for the delivery's due time, off the read loop, then POSTs it. */
  private hold(delivery: HeldDelivery): void {
    this.held.set(delivery.entryId, delivery);
    delivery.timer = setTimeout(() => {
      delivery.timer = undefined;
      if (this.stopped) return;
      delivery.trying = this.attempt(delivery)
        .catch((error: Error) =>
          // The entry stays pending: it is taken over once idle for the claim time, and tried again.
          this.logger.warn({ err: error.message, rule: delivery.alert.rule, alertId: delivery.alert.alertId }, 'could not record an alert webhook try'),
        )
        .finally(() => this.held.delete(delivery.entryId));
    }, Math.max(0, delivery.stage.dueAtMs - Date.now()));
  }

  private async attempt(delivery: HeldDelivery): Promise<void> {
    const webhook = this.webhook as AlertWebhook;
    const { alert, entryId, alertJson } = delivery;
    const result = await webhook.post(alert);
    webhookAttempts.inc({ result: result.ok ? 'ok' : 'error' });
    const attempts = delivery.stage.attempts + 1;
    const context = { rule: alert.rule, alertId: alert.alertId, attempt: attempts, webhookUrl: webhook.redactedUrl };

    if (result.ok) {
      const stage = { attempts, dueAtMs: Date.now(), lastError: delivery.stage.lastError };
      if (!(await this.outbox.settle(entryId, { record: this.record(alert, 'delivered', stage) }))) return this.takenOver(delivery);
      webhookDeliveries.inc({ outcome: 'delivered' });
      if (attempts > 1) this.logger.info({ ...context, status: result.status }, 'alert webhook delivered after retries');
      return;
    }
    if (attempts <= this.retries) {
      const retryInMs = webhookRetryDelayMs(attempts, this.backoff);
      const stage = { attempts, dueAtMs: Date.now() + retryInMs, lastError: result.error };
      if (!(await this.outbox.settle(entryId, { successor: { alertJson, stage }, record: this.record(alert, 'pending', stage) }))) return this.takenOver(delivery);
      this.logger.warn({ ...context, retryInMs, lastError: result.error }, 'alert webhook try failed; retrying');
      return;
    }
    const stage = { attempts, dueAtMs: Date.now(), lastError: result.error };
    if (!(await this.outbox.settle(entryId, { record: this.record(alert, 'failed', stage) }))) return this.takenOver(delivery);
    this.recordFailed(alert, stage, webhook.redactedUrl);
  }

  private recordFailed(alert: Alert.Value, stage: WebhookStage, webhookUrl?: string): void {
    webhookDeliveries.inc({ outcome: 'failed' });
    this.logger.error(
      { rule: alert.rule, alertId: alert.alertId, attempts: stage.attempts, lastError: stage.lastError, webhookUrl },
      `alert webhook unreachable: gave up on ${alert.alertId} after ${stage.attempts} tries; alert not posted (it is on the alerts topic)`,
    );
  }

  private takenOver(delivery: HeldDelivery): void {
    this.logger.warn({ rule: delivery.alert.rule, alertId: delivery.alert.alertId }, 'alert webhook delivery was taken over by another instance; left to it');
  }

  /** Keeps the held deliveries this instance's; lets go of those another instance took over. */
  private async refresh(): Promise<void> {
    const ids = [...this.held.keys()];
    try {
      const mine = new Set(await this.outbox.refresh(ids));
      for (const id of ids) {
        const delivery = this.held.get(id);
        if (!delivery || mine.has(id) || delivery.trying) continue;
        clearTimeout(delivery.timer);
        this.held.delete(id);
        this.takenOver(delivery);
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not refresh the alert webhook deliveries held; retrying');
    }
  }

  private record(alert: Alert.Value, state: WebhookDelivery['state'], stage: WebhookStage): { rule: string; delivery: WebhookDelivery } {
    return {
      rule: alert.rule,
      delivery: {
        alertId: alert.alertId,
        status: alert.status,
        occurredAt: alert.occurredAt,
        state,
        attempts: stage.attempts,
        lastError: stage.lastError,
        nextAttemptAt: state === 'pending' ? new Date(stage.dueAtMs).toISOString() : null,
        updatedAt: new Date().toISOString(),
      },
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
