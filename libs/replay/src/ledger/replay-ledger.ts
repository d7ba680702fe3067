import type Redis from 'ioredis';
import type { ReplayKeys } from '../records/replay-keys';
import { ledgerSlot } from './ledger-slot';
import { CONFIRM_LUA, RELEASE_LUA, RESERVE_LUA, SETTLED_LUA, TAKE_OVER_LUA } from './replay-ledger.lua';

/**
 * How long a reservation may stay unsettled before another run may look into
 * it, in milliseconds: 2 minutes, well past a publish's timeout (the services'
 * PUBLISH_TIMEOUT_MS, 15 s by default) plus its confirm.
 */
export const LEDGER_STALE_AFTER_MS = 120_000;

/** One dead letter the ledger is asked about. */
export interface LedgerEntry {
  partition: number;
  offset: string;
  itemId: string;
}

/** What reserve found for one entry. */
export type Reservation =
  | { status: 'reserved' }
  | { status: 'done' }
  | { status: 'busy'; owner: string }
  | { status: 'stale'; owner: string; reservedAtMs: number; held: string };

const COMMANDS = {
  reserve: ['workpipeReplayReserve', RESERVE_LUA],
  takeOver: ['workpipeReplayTakeOver', TAKE_OVER_LUA],
  confirm: ['workpipeReplayConfirm', CONFIRM_LUA],
  release: ['workpipeReplayRelease', RELEASE_LUA],
  settled: ['workpipeReplaySettled', SETTLED_LUA],
} as const;

type Scripts = { [K in (typeof COMMANDS)[keyof typeof COMMANDS][0]]: (...args: string[]) => Promise<unknown> };

/**
 * Which dead letters were replayed, by any replay, for as long as the
 * dead-letter topic keeps them (no expiry: the abandoned topic keeps its dead
 * letters forever). One bit per offset in bitmaps of 2^20 offsets
 * (`replay:_ledger:<topic>:<partition>:<shard>`, 128 KiB per million offsets),
 * and a pending entry per dead letter while it is being republished.
 *
 * Two phases, so a crash can never make a dead letter look done when its item
 * never reached Kafka: reserve (pending, owner and time) -> publish -> confirm
 * (bit set), or release when the publish definitely failed. A reservation
 * that was never settled is `stale` after {@link LEDGER_STALE_AFTER_MS}; the
 * runner then looks for the item in the work topic and settles it as
 * published or takes it over (never counting it as done unseen). Dead letters
 * confirmed by the CLI's earlier ledger (`replay:done:...` = `accepted`) count
 * as settled.
 */
export class ReplayLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReplayKeys,
    private readonly staleAfterMs = LEDGER_STALE_AFTER_MS,
  ) {
    for (const [name, lua] of Object.values(COMMANDS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
    }
  }

  /** Reserves each entry for `owner` (one script run for all); says for each what it found. */
  async reserve(topic: string, owner: string, entries: readonly LedgerEntry[], nowMs: number): Promise<Reservation[]> {
    if (entries.length === 0) return [];
    const replies = (await this.script('reserve')(
      this.keys.ledgerBase(topic),
      this.keys.base,
      owner,
      String(nowMs),
      String(this.staleAfterMs),
      `${this.keys.legacyDoneBase()}${topic}:`,
      ...slots(entries),
    )) as string[];
    return replies.map(parseReservation);
  }

  /** Takes over stale reservations (compare-and-set on what reserve saw); true for each now reserved by `owner`. */
  async takeOver(topic: string, owner: string, entries: readonly (LedgerEntry & { held: string })[], nowMs: number): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const args: string[] = [];
    entries.forEach((entry, index) => args.push(...slots([entry]), (entries[index] as { held: string }).held));
    const replies = (await this.script('takeOver')(this.keys.ledgerBase(topic), this.keys.base, owner, String(nowMs), ...args)) as string[];
    return replies.map((reply) => reply === 'reserved');
  }

  /** The owner's items are in Kafka: settles the entries; resolves with how many it counted for the owner. */
  async confirm(topic: string, owner: string, entries: readonly LedgerEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    return Number(await this.script('confirm')(this.keys.ledgerBase(topic), this.keys.base, owner, ...slots(entries)));
  }

  /** The owner's items definitely did not reach Kafka: frees the entries. */
  async release(topic: string, owner: string, entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.script('release')(this.keys.ledgerBase(topic), this.keys.base, owner, ...slots(entries));
  }

  /**
   * Settles dead letters whose item is replayed from a later dead letter
   * (superseded): no item is published for them, and no pending entry is touched.
   */
  async settle(topic: string, entries: readonly Pick<LedgerEntry, 'partition' | 'offset'>[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    const base = this.keys.ledgerBase(topic);
    for (const { partition, offset } of entries) {
      const { shard, bit } = ledgerSlot(offset);
      pipeline.setbit(`${base}${partition}:${shard}`, bit, 1);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Which entries are settled (read only: dry runs, retry-failures, item status). */
  async settled(topic: string, entries: readonly Pick<LedgerEntry, 'partition' | 'offset'>[]): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const args: string[] = [];
    for (const { partition, offset } of entries) {
      const { shard, bit } = ledgerSlot(offset);
      args.push(String(partition), offset, shard, String(bit));
    }
    const replies = (await this.script('settled')(this.keys.ledgerBase(topic), `${this.keys.legacyDoneBase()}${topic}:`, ...args)) as number[];
    return replies.map((reply) => Number(reply) === 1);
  }

  private script(name: keyof typeof COMMANDS): (...args: string[]) => Promise<unknown> {
    const command = COMMANDS[name][0];
    const scripts = this.redis as unknown as Scripts;
    return (...args: string[]) => scripts[command](...args);
  }
}

function slots(entries: readonly LedgerEntry[]): string[] {
  const args: string[] = [];
  for (const { partition, offset, itemId } of entries) {
    const { shard, bit } = ledgerSlot(offset);
    args.push(String(partition), offset, shard, String(bit), itemId);
  }
  return args;
}

function parseReservation(reply: string): Reservation {
  if (reply === 'reserved') return { status: 'reserved' };
  if (reply === 'done') return { status: 'done' };
  const [status, owner = '', at = '0'] = reply.split('|');
  if (status === 'busy') return { status: 'busy', owner };
  return { status: 'stale', owner, reservedAtMs: Number(at), held: `${owner}|${at}` };
}
