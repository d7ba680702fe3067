import type Redis from 'ioredis';
import { Alert } from '@workpipe/contracts';
import { OUTBOX_MAX_LENGTH } from './alert-store';
import { OUTBOX_REFRESH_LUA, OUTBOX_SETTLE_LUA } from './alert-outbox.lua';
import { webhookDeliveryField, type WebhookDelivery } from './webhook-delivery';

/** Where a webhook delivery stands, kept in its outbox entry. */
export interface WebhookStage {
  /** POSTs made so far. */
  attempts: number;
  /** When the next POST is due, epoch ms. */
  dueAtMs: number;
  /** Why the last POST failed; null if none did. */
  lastError: string | null;
}

/**
 * An entry of the outbox stream:
 * - `event`: an alert event as the evaluator queued it (field `alert`): to publish to the alerts topic;
 * - `webhook`: an event already published, waiting for its POST (fields `stage=webhook`, `attempts`, `dueAtMs`, `lastError`);
 * - `malformed`: neither; dropped.
 */
export type OutboxEntry =
  | { kind: 'event'; id: string; alertJson: string; alert: Alert.Value }
  | { kind: 'webhook'; id: string; alertJson: string; alert: Alert.Value; stage: WebhookStage }
  | { kind: 'malformed'; id: string };

/** What settling an entry does besides acknowledging and deleting it. */
export interface Settlement {
  /** Appends the same alert at its webhook stage (a new entry, readable by any instance). */
  successor?: { alertJson: string; stage: WebhookStage };
  /** Records the delivery as the rule's latest (unless the rule's recorded one is of a later event). */
  record?: { rule: string; delivery: WebhookDelivery };
}

const SETTLE = 'workpipeStatsAlertOutboxSettle';
const REFRESH = 'workpipeStatsAlertOutboxRefresh';
type WithScripts = {
  [SETTLE](...args: string[]): Promise<number>;
  [REFRESH](...args: string[]): Promise<string[]>;
};

/**
 * The alert outbox stream (`stats:alerts:outbox`) as one consumer of its group sees it. Every
 * state of a delivery is an entry: an event waiting to be published, then the same event waiting
 * for its webhook POST with the tries made so far; a failed try replaces the entry by its
 * successor in one atomic step. An entry is held by the consumer that read it (the group's
 * pending list) and taken over by another when idle for the claim time, so a delivery goes on
 * after a crash, a restart or on another instance, with its count of tries.
 */
export class AlertOutbox {
  constructor(
    /** For the blocking reads only: they hold up every command behind them on their connection. */
    private readonly reader: Redis,
    private readonly writer: Redis,
    private readonly key: string,
    private readonly alertsKey: string,
    private readonly group: string,
    readonly consumer: string,
  ) {
    if (!(SETTLE in writer)) writer.defineCommand(SETTLE, { numberOfKeys: 2, lua: OUTBOX_SETTLE_LUA });
    if (!(REFRESH in writer)) writer.defineCommand(REFRESH, { numberOfKeys: 1, lua: OUTBOX_REFRESH_LUA });
  }

  async ensureGroup(): Promise<void> {
    try {
      await this.writer.xgroup('CREATE', this.key, this.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
  }

  /** Entries some consumer read and left idle for `minIdleMs` (a dead or stalled instance), now this one's. */
  async claimAbandoned(minIdleMs: number, count: number): Promise<OutboxEntry[]> {
    const reply = (await this.writer.xautoclaim(this.key, this.group, this.consumer, minIdleMs, '0-0', 'COUNT', count)) as [string, [string, string[] | null][]];
    return (reply[1] ?? []).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])).map(([id, fields]) => parseEntry(id, fields));
  }

  /** Entries nobody read yet, waiting up to `blockMs` for one. */
  async readNew(blockMs: number, count: number): Promise<OutboxEntry[]> {
    const reply = (await this.reader.xreadgroup('GROUP', this.group, this.consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.key, '>')) as
      | [string, [string, string[]][]][]
      | null;
    return (reply?.[0]?.[1] ?? []).map(([id, fields]) => parseEntry(id, fields));
  }

  /** Acknowledges and deletes an entry of this consumer's, with its successor and record; false if it is not this consumer's any more. */
  async settle(id: string, settlement: Settlement = {}): Promise<boolean> {
    const { successor, record } = settlement;
    const args = [
      this.key,
      this.alertsKey,
      this.group,
      this.consumer,
      id,
      String(OUTBOX_MAX_LENGTH),
      record ? webhookDeliveryField(record.rule) : '',
      record ? JSON.stringify(record.delivery) : '',
      record?.delivery.alertId ?? '',
      record?.delivery.occurredAt ?? '',
    ];
    if (successor) {
      const { attempts, dueAtMs, lastError } = successor.stage;
      args.push('alert', successor.alertJson, 'stage', 'webhook', 'attempts', String(attempts), 'dueAtMs', String(dueAtMs), 'lastError', lastError ?? '');
    }
    return (await (this.writer as unknown as WithScripts)[SETTLE](...args)) === 1;
  }

  /** Keeps the entries this consumer holds from being claimed by another; answers those still its own. */
  async refresh(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return (this.writer as unknown as WithScripts)[REFRESH](this.key, this.group, this.consumer, ...ids);
  }
}

function parseEntry(id: string, fields: string[]): OutboxEntry {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i] as string, fields[i + 1] as string);
  const alertJson = values.get('alert');
  const parsed = Alert.Schema.safeParse(parseJson(alertJson));
  if (alertJson === undefined || !parsed.success) return { kind: 'malformed', id };
  if (values.get('stage') !== 'webhook') return { kind: 'event', id, alertJson, alert: parsed.data };
  const attempts = Number(values.get('attempts'));
  const dueAtMs = Number(values.get('dueAtMs'));
  if (!Number.isInteger(attempts) || attempts < 0 || !Number.isFinite(dueAtMs)) return { kind: 'malformed', id };
  return { kind: 'webhook', id, alertJson, alert: parsed.data, stage: { attempts, dueAtMs, lastError: values.get('lastError') || null } };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
