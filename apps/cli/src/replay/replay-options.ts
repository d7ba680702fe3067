import { ABANDON_REASONS, FAILURE_TYPE_PATTERN, OperationsApi, type AbandonReason } from '@workpipe/contracts';
import { UsageError } from '../errors/usage-error';
import { generateReplayId, parseReplayId } from './replay-id';
import { parseDurationMs, parseTimeBound } from './time-input';

/** How long `--wait` waits for the outcome unless `--timeout` says otherwise: 10 minutes. */
export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

/** The highest `--rate`, items per second; beyond it a limit is pointless. */
export const MAX_RATE_PER_SECOND = OperationsApi.MAX_REPLAY_RATE_PER_SECOND;

/** Flags of `workpipe replay`, as commander hands them over (repeatable ones as arrays). */
export interface ReplayFlags {
  topic?: string;
  partition?: string[];
  fromOffset?: string;
  toOffset?: string;
  since?: string;
  until?: string;
  type?: string[];
  reason?: string[];
  dryRun?: boolean;
  rate?: string;
  trial?: string;
  continue?: string;
  replayId?: string;
}

/** Which dead letters a new replay takes. Empty lists and absent bounds filter nothing. */
export interface DeadLetterFilter {
  /** `--type`: the last failure's type must be one of these. */
  types: readonly string[];
  /** `--reason`: the abandonment reason must be one of these. */
  reasons: readonly AbandonReason[];
  /** `--since`: `abandonedAt` at or after this, epoch milliseconds. */
  sinceMs?: number;
  /** `--until`: `abandonedAt` at or before this, epoch milliseconds. */
  untilMs?: number;
}

/** Settings shared by a new replay and a continued one. */
export interface ReplayPacing {
  /** List what would be replayed; publish and record nothing. */
  dryRun: boolean;
  /** `--rate`: items per second; unlimited when absent. */
  ratePerSecond?: number;
  /** `--trial`: republish at most this many now, the rest with `--continue`. */
  trial?: number;
}

/** A new replay of a selection. */
export interface NewReplayRequest extends ReplayPacing {
  kind: 'new';
  replayId: string;
  /** True when the id was generated (it is printed first). */
  replayIdGenerated: boolean;
  /** `--topic`; the prefixed abandoned topic when absent. */
  topic?: string;
  /** `--partition`, sorted and distinct; every partition when absent. */
  partitions?: number[];
  /** `--from-offset`, included; the first offset present when absent. */
  fromOffset?: bigint;
  /** `--to-offset`, included; the last offset present at the start when absent. */
  toOffset?: bigint;
  /** `--type`, `--reason`, `--since/--until` (epoch milliseconds). */
  filter: DeadLetterFilter;
  /** The selection flags as given, for the record and the summaries. */
  asked: string;
}

/** `--continue REPLAY_ID`: the stored selection, again. */
export interface ContinueReplayRequest extends ReplayPacing {
  kind: 'continue';
  /** The replay to continue. */
  replayId: string;
}

export type ReplayRequest = NewReplayRequest | ContinueReplayRequest;

const REPLAY_HINT = 'workpipe replay --help';

/** Validates the flags of `replay`; every mistake is a {@link UsageError} naming the flag (exit 2). */
export function parseReplayFlags(flags: ReplayFlags, now: number, random: () => number): ReplayRequest {
  const pacing: ReplayPacing = {
    dryRun: flags.dryRun === true,
    ...optional('ratePerSecond', flags.rate === undefined ? undefined : parseRate(flags.rate, REPLAY_HINT)),
    ...optional('trial', flags.trial === undefined ? undefined : parseCount(flags.trial, '--trial', 1, 1_000_000, REPLAY_HINT)),
  };
  const selectionFlags: [string, unknown][] = [
    ['--topic', flags.topic],
    ['--partition', flags.partition],
    ['--from-offset', flags.fromOffset],
    ['--to-offset', flags.toOffset],
    ['--since', flags.since],
    ['--until', flags.until],
    ['--type', flags.type],
    ['--reason', flags.reason],
    ['--replay-id', flags.replayId],
  ];
  const given = selectionFlags.filter(([, value]) => value !== undefined).map(([flag]) => flag);

  if (flags.continue !== undefined) {
    if (given.length > 0) {
      throw new UsageError(
        `--continue replays the stored selection of the replay; it cannot be combined with ${given.join(', ')}`,
        REPLAY_HINT,
      );
    }
    return { kind: 'continue', replayId: parseReplayId(flags.continue, '--continue', REPLAY_HINT), ...pacing };
  }

  if (given.filter((flag) => flag !== '--topic' && flag !== '--replay-id').length === 0) {
    throw new UsageError(
      'say which dead letters to replay: --partition with --from-offset/--to-offset, --since/--until, --type or --reason ' +
        '(to replay everything still worth retrying, use workpipe retry-failures)',
      REPLAY_HINT,
    );
  }
  const topic = flags.topic === undefined ? undefined : parseTopic(flags.topic);
  const partitions = flags.partition === undefined ? undefined : parsePartitions(flags.partition);
  const fromOffset = flags.fromOffset === undefined ? undefined : parseOffset(flags.fromOffset, '--from-offset');
  const toOffset = flags.toOffset === undefined ? undefined : parseOffset(flags.toOffset, '--to-offset');
  if (fromOffset !== undefined && toOffset !== undefined && fromOffset > toOffset) {
    throw new UsageError(`--from-offset ${fromOffset} is after --to-offset ${toOffset} (both are included)`, REPLAY_HINT);
  }
  const sinceMs = flags.since === undefined ? undefined : parseTimeBound(flags.since, '--since', now, REPLAY_HINT);
  const untilMs = flags.until === undefined ? undefined : parseTimeBound(flags.until, '--until', now, REPLAY_HINT);
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs > untilMs) {
    throw new UsageError(
      `--since ${new Date(sinceMs).toISOString()} is after --until ${new Date(untilMs).toISOString()}`,
      REPLAY_HINT,
    );
  }
  const replayId = flags.replayId === undefined ? undefined : parseReplayId(flags.replayId, '--replay-id', REPLAY_HINT);
  return {
    kind: 'new',
    replayId: replayId ?? generateReplayId(now, random),
    replayIdGenerated: replayId === undefined,
    ...optional('topic', topic),
    ...optional('partitions', partitions),
    ...optional('fromOffset', fromOffset),
    ...optional('toOffset', toOffset),
    filter: {
      types: parseFailureTypes(flags.type ?? [], REPLAY_HINT),
      reasons: parseReasons(flags.reason ?? []),
      ...optional('sinceMs', sinceMs),
      ...optional('untilMs', untilMs),
    },
    asked: askedText(flags),
    ...pacing,
  };
}

/** Flags of `workpipe retry-failures`. */
export interface RetryFailuresFlags {
  max?: string;
  type?: string[];
  rate?: string;
  dryRun?: boolean;
  wait?: boolean;
  timeout?: string;
  replayId?: string;
}

export interface RetryFailuresRequest {
  /** `--max`: replay at most this many (oldest abandonment first); all when absent. */
  max?: number;
  /** `--type`: only items whose last failure is of one of these types. */
  types: string[];
  /** `--rate`: items per second; unlimited when absent. */
  ratePerSecond?: number;
  /** `--dry-run`: list the chosen dead letters; publish and record nothing. */
  dryRun: boolean;
  /** `--wait`: wait for the outcome and print recovered / still failing. */
  wait: boolean;
  /** How long `--wait` waits, in milliseconds; default {@link DEFAULT_WAIT_TIMEOUT_MS}. */
  timeoutMs: number;
  /** `--replay-id`, or generated. */
  replayId: string;
  /** True when the id was generated. */
  replayIdGenerated: boolean;
}

const RETRY_HINT = 'workpipe retry-failures --help';

export function parseRetryFailuresFlags(flags: RetryFailuresFlags, now: number, random: () => number): RetryFailuresRequest {
  if (flags.timeout !== undefined && flags.wait !== true) {
    throw new UsageError('--timeout only applies with --wait', RETRY_HINT);
  }
  const replayId = flags.replayId === undefined ? undefined : parseReplayId(flags.replayId, '--replay-id', RETRY_HINT);
  return {
    ...optional('max', flags.max === undefined ? undefined : parseCount(flags.max, '--max', 1, 1_000_000, RETRY_HINT)),
    types: parseFailureTypes(flags.type ?? [], RETRY_HINT),
    ...optional('ratePerSecond', flags.rate === undefined ? undefined : parseRate(flags.rate, RETRY_HINT)),
    dryRun: flags.dryRun === true,
    wait: flags.wait === true,
    timeoutMs: flags.timeout === undefined ? DEFAULT_WAIT_TIMEOUT_MS : parseDurationMs(flags.timeout, '--timeout', RETRY_HINT),
    replayId: replayId ?? generateReplayId(now, random),
    replayIdGenerated: replayId === undefined,
  };
}

/** Flags of `workpipe replay-status`. */
export interface ReplayStatusFlags {
  wait?: boolean;
  timeout?: string;
}

export interface ReplayStatusRequest {
  /** The replay to report on. */
  replayId: string;
  /** `--wait`: poll until nothing is pending or the timeout. */
  wait: boolean;
  /** How long `--wait` waits, in milliseconds; default {@link DEFAULT_WAIT_TIMEOUT_MS}. */
  timeoutMs: number;
}

const STATUS_HINT = 'workpipe replay-status --help';

export function parseReplayStatusArgs(replayId: string, flags: ReplayStatusFlags): ReplayStatusRequest {
  if (flags.timeout !== undefined && flags.wait !== true) {
    throw new UsageError('--timeout only applies with --wait', STATUS_HINT);
  }
  return {
    replayId: parseReplayId(replayId, 'REPLAY_ID', STATUS_HINT),
    wait: flags.wait === true,
    timeoutMs: flags.timeout === undefined ? DEFAULT_WAIT_TIMEOUT_MS : parseDurationMs(flags.timeout, '--timeout', STATUS_HINT),
  };
}

/** commander's collector for repeatable options: `--type A --type B,C` gives `[A, B,C]`. */
export function collectRepeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `50`, `50/s` or `0.5` items per second. */
export function parseRate(text: string, hint: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(text.trim());
  const rate = match ? Number(match[1]) : Number.NaN;
  if (!(rate > 0 && rate <= MAX_RATE_PER_SECOND)) {
    throw new UsageError(`--rate must be items per second above 0 and at most ${MAX_RATE_PER_SECOND}, such as 20 or 20/s, got "${text}"`, hint);
  }
  return rate;
}

export function parseOffset(text: string, flag: string): bigint {
  const trimmed = text.trim();
  if (!/^\d{1,19}$/.test(trimmed) || BigInt(trimmed) > 9_223_372_036_854_775_807n) {
    throw new UsageError(`${flag} must be an offset (an integer from 0), got "${text}"`, REPLAY_HINT);
  }
  return BigInt(trimmed);
}

/** `--partition 1 --partition 2,3` -> [1, 2, 3]. */
export function parsePartitions(values: readonly string[]): number[] {
  const partitions = splitList(values).map((text) => {
    if (!/^\d{1,6}$/.test(text)) {
      throw new UsageError(`--partition must be a partition number (an integer from 0), got "${text}"`, REPLAY_HINT);
    }
    return Number(text);
  });
  return [...new Set(partitions)].sort((a, b) => a - b);
}

export function parseFailureTypes(values: readonly string[], hint: string): string[] {
  const types = splitList(values);
  for (const type of types) {
    if (!FAILURE_TYPE_PATTERN.test(type)) {
      throw new UsageError(`--type must be a failure type in upper snake case, such as API_ERROR or TIMEOUT, got "${type}"`, hint);
    }
  }
  return [...new Set(types)];
}

export function parseReasons(values: readonly string[]): AbandonReason[] {
  const reasons = splitList(values).map((text) => text.toUpperCase());
  for (const reason of reasons) {
    if (!(ABANDON_REASONS as readonly string[]).includes(reason)) {
      throw new UsageError(`--reason must be one of ${ABANDON_REASONS.join(', ')}, got "${reason}"`, REPLAY_HINT);
    }
  }
  return [...new Set(reasons)] as AbandonReason[];
}

function parseTopic(text: string): string {
  const topic = text.trim();
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw new UsageError(`--topic must be a Kafka topic name (letters, digits, ".", "_", "-"), got "${text}"`, REPLAY_HINT);
  }
  return topic;
}

function parseCount(text: string, flag: string, min: number, max: number, hint: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`, hint);
  }
  return value;
}

function splitList(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((part) => part.trim()).filter((part) => part.length > 0);
}

/** The selection flags as the operator gave them, in a fixed order. */
function askedText(flags: ReplayFlags): string {
  const parts: string[] = [];
  if (flags.topic !== undefined) parts.push(`--topic ${flags.topic}`);
  for (const partition of flags.partition ?? []) parts.push(`--partition ${partition}`);
  if (flags.fromOffset !== undefined) parts.push(`--from-offset ${flags.fromOffset}`);
  if (flags.toOffset !== undefined) parts.push(`--to-offset ${flags.toOffset}`);
  if (flags.since !== undefined) parts.push(`--since ${flags.since}`);
  if (flags.until !== undefined) parts.push(`--until ${flags.until}`);
  for (const type of flags.type ?? []) parts.push(`--type ${type}`);
  for (const reason of flags.reason ?? []) parts.push(`--reason ${reason}`);
  return parts.join(' ');
}

/** `{ [name]: value }` when the value is defined, else `{}`: keeps optional fields absent (exactOptionalPropertyTypes-proof). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
