import type Redis from 'ioredis';
import { Alert } from '@workpipe/contracts';
import { ALERT_RULES, type AlertRule, type AlertState } from '@workpipe/stats-model';
import { ALERT_TRANSITION_LUA } from './alert-transition.lua';
import { webhookDeliveryField, WebhookDeliverySchema, type WebhookDelivery } from './webhook-delivery';

/** An alert state as stored, with the version the compare-and-set works on. */
export interface StoredAlertState extends AlertState {
  version: number;
}

const COMMAND = 'workpipeStatsAlertTransition';
type WithTransition = { [COMMAND](...args: string[]): Promise<number> };

/** Most alert events kept in the outbox stream (delivered ones are deleted at once). */
export const OUTBOX_MAX_LENGTH = 10_000;

/**
 * Alert states in Redis, shared by every stats instance and kept across
 * restarts, so an alert already raised is never raised again. The same hash
 * holds each rule's latest webhook delivery (field `webhook:<rule>`, written by
 * {@link AlertOutbox}), so it is kept with the states (`StaleStateGuard`).
 */
export class AlertStore {
  constructor(
    private readonly redis: Redis,
    private readonly statesKey: string,
    private readonly outboxKey: string,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: ALERT_TRANSITION_LUA });
  }

  async states(): Promise<Partial<Record<AlertRule, StoredAlertState>>> {
    const raw = await this.redis.hmget(this.statesKey, ...ALERT_RULES);
    const states: Partial<Record<AlertRule, StoredAlertState>> = {};
    ALERT_RULES.forEach((rule, index) => {
      const text = raw[index];
      if (text) states[rule] = JSON.parse(text) as StoredAlertState;
    });
    return states;
  }

  /** Each rule's latest webhook delivery, where one was recorded. */
  async webhookDeliveries(): Promise<Partial<Record<AlertRule, WebhookDelivery>>> {
    const raw = await this.redis.hmget(this.statesKey, ...ALERT_RULES.map(webhookDeliveryField));
    const deliveries: Partial<Record<AlertRule, WebhookDelivery>> = {};
    ALERT_RULES.forEach((rule, index) => {
      const parsed = WebhookDeliverySchema.safeParse(parseJson(raw[index]));
      if (parsed.success) deliveries[rule] = parsed.data;
    });
    return deliveries;
  }

  /** Stores `next` if the rule is still at `readVersion`, with the event (if any) in the outbox. */
  async transition(rule: AlertRule, readVersion: number, next: AlertState, event?: Alert.Value): Promise<boolean> {
    const stored: StoredAlertState = { ...next, version: readVersion + 1 };
    const applied = await (this.redis as unknown as WithTransition)[COMMAND](
      this.statesKey,
      this.outboxKey,
      rule,
      String(readVersion),
      JSON.stringify(stored),
      event ? JSON.stringify(Alert.Schema.parse(event)) : '',
      String(OUTBOX_MAX_LENGTH),
    );
    return applied === 1;
  }
}

function parseJson(text: string | null | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
