import type Redis from 'ioredis';
import { Alert } from '@workpipe/contracts';
import { ALERT_RULES, type AlertRule, type AlertState } from '@workpipe/stats-model';
import { ALERT_TRANSITION_LUA } from './alert-transition.lua';

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
 * restarts, so an alert already raised is never raised again.
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
    const raw = await this.redis.hgetall(this.statesKey);
    const states: Partial<Record<AlertRule, StoredAlertState>> = {};
    for (const rule of ALERT_RULES) {
      const text = raw[rule];
      if (text) states[rule] = JSON.parse(text) as StoredAlertState;
    }
    return states;
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
