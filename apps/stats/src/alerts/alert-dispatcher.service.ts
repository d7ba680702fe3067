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
import { AlertWebhook } from './alert-webhook';

const GROUP = 'dispatch';
/** An entry another instance took and did not acknowledge for this long is taken over, in ms. */
const CLAIM_IDLE_MS = 30_000;
const BLOCK_MS = 1_000;

const webhookDeliveries = new Counter({
  name: 'workpipe_alert_webhook_deliveries_total',
  help: 'Alert webhook deliveries, by outcome (delivered, rejected, failed)',
  labelNames: ['outcome'],
});

/**
 * Delivers queued alert events: publishes each to the alerts topic (durably:
 * acks from all replicas), then POSTs it to the webhook if one is configured,
 * then acknowledges and deletes it from the outbox stream. A crash in between
 * delivers it again (same `alertId`); a failing webhook costs its retries, never
 * the materialization (this loop runs on its own Redis connection).
 */
@Injectable()
export class AlertDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly connection: Redis;
  private readonly publisher: EventPublisher;
  private readonly webhook?: AlertWebhook;
  private readonly logger: Logger;
  private readonly consumerName = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly topic: string;
  private readonly outbox: string;
  private loop?: Promise<void>;
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
    // Blocking reads must not hold up the shared connection.
    this.connection = redis.duplicate({ connectionName: `workpipe-stats-alerts` });
    this.connection.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'redis error'));
    this.publisher = new EventPublisher(kafka, serde, this.logger, { timeoutMs: config.publishTimeoutMs, connectTimeoutMs: config.kafka.connectTimeoutMs });
    this.topic = topicName(config.kafka.topicPrefix, TOPICS.alerts);
    this.outbox = keys.alertOutbox();
    const { webhookUrl, webhookTimeoutMs, webhookRetries } = settings.alerts;
    if (webhookUrl) this.webhook = new AlertWebhook({ url: webhookUrl, timeoutMs: webhookTimeoutMs, retries: webhookRetries }, this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    try {
      await this.connection.xgroup('CREATE', this.outbox, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.connection.disconnect();
    await this.publisher.disconnect();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const claimed = await this.claimAbandoned();
        const entries = claimed.length > 0 ? claimed : await this.readNew();
        for (const [id, fields] of entries) {
          if (this.stopped) return;
          await this.deliver(id, fields);
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: (error as Error).message }, 'alert delivery failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** Entries another (dead) instance read and never acknowledged. */
  private async claimAbandoned(): Promise<[string, string[]][]> {
    const reply = (await this.connection.xautoclaim(this.outbox, GROUP, this.consumerName, CLAIM_IDLE_MS, '0-0', 'COUNT', 20)) as [
      string,
      [string, string[]][],
    ];
    return (reply[1] ?? []).filter((entry) => Array.isArray(entry[1]));
  }

  private async readNew(): Promise<[string, string[]][]> {
    const reply = (await this.connection.xreadgroup('GROUP', GROUP, this.consumerName, 'COUNT', 20, 'BLOCK', BLOCK_MS, 'STREAMS', this.outbox, '>')) as
      | [string, [string, string[]][]][]
      | null;
    return reply?.[0]?.[1] ?? [];
  }

  private async deliver(id: string, fields: string[]): Promise<void> {
    const index = fields.indexOf('alert');
    const parsed = Alert.Schema.safeParse(index >= 0 ? parseJson(fields[index + 1]) : undefined);
    if (!parsed.success) {
      this.logger.error({ entry: id }, 'malformed entry in the alert outbox; dropped');
    } else {
      const alert = parsed.data;
      await this.publisher.publish(this.topic, Alert, [
        { key: alert.rule, value: alert, headers: { 'x-alert-id': alert.alertId, 'x-alert-status': alert.status } },
      ]);
      if (this.webhook) webhookDeliveries.inc({ outcome: await this.webhook.post(alert) });
    }
    await this.connection.multi().xack(this.outbox, GROUP, id).xdel(this.outbox, id).exec();
  }
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
