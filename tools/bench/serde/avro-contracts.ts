import type { Schema } from 'avsc';
import type { AttemptRecord, Failure, SourcePosition, WorkAbandoned, WorkFailed, WorkItem } from '@workpipe/contracts';

/**
 * Hand-written Avro schemas equivalent to the zod contracts of WorkItem,
 * WorkFailed and WorkAbandoned, for the serde benchmark only.
 *
 * - The free-form `payload` is a JSON string field (`payloadJson`): a map of
 *   strings would turn numbers, booleans and nested objects into strings, and
 *   the handlers' payloads are arbitrary JSON.
 * - Optional fields are `["null", T]` unions with default null; the mappers
 *   below turn null back into an absent field, which is what zod's `.optional()` accepts.
 * - Timestamps stay ISO-8601 strings, as in the contracts (zod checks them).
 */
const NS = 'workpipe.bench';

const optional = (type: Schema): Schema => ['null', type] as unknown as Schema;

function sourcePosition(defined: Set<string>): Schema {
  if (defined.has('SourcePosition')) return `${NS}.SourcePosition`;
  defined.add('SourcePosition');
  return {
    type: 'record',
    name: 'SourcePosition',
    namespace: NS,
    fields: [
      { name: 'topic', type: 'string' },
      { name: 'partition', type: 'int' },
      { name: 'offset', type: 'string' },
    ],
  };
}

function failure(defined: Set<string>): Schema {
  if (defined.has('Failure')) return `${NS}.Failure`;
  defined.add('Failure');
  return {
    type: 'record',
    name: 'Failure',
    namespace: NS,
    fields: [
      { name: 'type', type: 'string' },
      { name: 'message', type: 'string' },
      { name: 'code', type: optional('string'), default: null },
      { name: 'retryable', type: 'boolean' },
      { name: 'retryAfterMs', type: optional('long'), default: null },
    ],
  };
}

function attemptRecord(defined: Set<string>): Schema {
  return {
    type: 'record',
    name: 'AttemptRecord',
    namespace: NS,
    fields: [
      { name: 'attempt', type: 'int' },
      { name: 'failure', type: failure(defined) },
      { name: 'failedAt', type: 'string' },
      { name: 'source', type: optional(sourcePosition(defined)), default: null },
      { name: 'durationMs', type: optional('double'), default: null },
    ],
  };
}

function workItem(defined: Set<string>): Schema {
  return {
    type: 'record',
    name: 'WorkItem',
    namespace: NS,
    fields: [
      { name: 'itemId', type: 'string' },
      { name: 'key', type: 'string' },
      { name: 'type', type: 'string' },
      { name: 'batchId', type: optional('string'), default: null },
      { name: 'payloadJson', type: 'string' },
      { name: 'attempt', type: 'int' },
      { name: 'createdAt', type: 'string' },
      { name: 'correlationId', type: 'string' },
      { name: 'history', type: { type: 'array', items: attemptRecord(defined) } },
      { name: 'deferrals', type: optional('int'), default: null },
      {
        name: 'replay',
        type: optional({
          type: 'record',
          name: 'Replay',
          namespace: NS,
          fields: [
            { name: 'replayId', type: 'string' },
            { name: 'replayedAt', type: 'string' },
            { name: 'source', type: sourcePosition(defined) },
          ],
        }),
        default: null,
      },
    ],
  };
}

export const AVRO_SCHEMAS: Readonly<Record<string, Schema>> = {
  WorkItem: workItem(new Set()),
  WorkFailed: (() => {
    const defined = new Set<string>();
    return {
      type: 'record',
      name: 'WorkFailed',
      namespace: NS,
      fields: [
        { name: 'item', type: workItem(defined) },
        { name: 'failure', type: failure(defined) },
        { name: 'failedAt', type: 'string' },
        { name: 'durationMs', type: 'double' },
        { name: 'source', type: sourcePosition(defined) },
      ],
    };
  })(),
  WorkAbandoned: (() => {
    const defined = new Set<string>();
    return {
      type: 'record',
      name: 'WorkAbandoned',
      namespace: NS,
      fields: [
        { name: 'item', type: workItem(defined) },
        { name: 'reason', type: { type: 'enum', name: 'AbandonReason', namespace: NS, symbols: ['MAX_ATTEMPTS', 'NOT_RETRYABLE', 'CIRCUIT_OPEN'] } },
        { name: 'detail', type: 'string' },
        { name: 'lastFailure', type: failure(defined) },
        { name: 'abandonedAt', type: 'string' },
      ],
    };
  })(),
};

// The mappers: contract value <-> Avro record. Written out by hand, as a generated mapper would be.

/* eslint-disable @typescript-eslint/no-explicit-any */
type AvroRecord = any;

const failureToAvro = (f: Failure): AvroRecord => ({
  type: f.type,
  message: f.message,
  code: f.code ?? null,
  retryable: f.retryable,
  retryAfterMs: f.retryAfterMs ?? null,
});

function failureFromAvro(r: AvroRecord): Failure {
  const f: Failure = { type: r.type, message: r.message, retryable: r.retryable };
  if (r.code !== null) f.code = r.code;
  if (r.retryAfterMs !== null) f.retryAfterMs = r.retryAfterMs;
  return f;
}

const sourceFromAvro = (r: AvroRecord): SourcePosition => ({ topic: r.topic, partition: r.partition, offset: r.offset });

const attemptToAvro = (a: AttemptRecord): AvroRecord => ({
  attempt: a.attempt,
  failure: failureToAvro(a.failure),
  failedAt: a.failedAt,
  source: a.source ?? null,
  durationMs: a.durationMs ?? null,
});

function attemptFromAvro(r: AvroRecord): AttemptRecord {
  const a: AttemptRecord = { attempt: r.attempt, failure: failureFromAvro(r.failure), failedAt: r.failedAt };
  if (r.source !== null) a.source = sourceFromAvro(r.source);
  if (r.durationMs !== null) a.durationMs = r.durationMs;
  return a;
}

const itemToAvro = (i: WorkItem.Value): AvroRecord => ({
  itemId: i.itemId,
  key: i.key,
  type: i.type,
  batchId: i.batchId ?? null,
  payloadJson: JSON.stringify(i.payload),
  attempt: i.attempt,
  createdAt: i.createdAt,
  correlationId: i.correlationId,
  history: i.history.map(attemptToAvro),
  deferrals: i.deferrals ?? null,
  replay: i.replay ?? null,
});

function itemFromAvro(r: AvroRecord): WorkItem.Value {
  const i: WorkItem.Value = {
    itemId: r.itemId,
    key: r.key,
    type: r.type,
    payload: JSON.parse(r.payloadJson),
    attempt: r.attempt,
    createdAt: r.createdAt,
    correlationId: r.correlationId,
    history: r.history.map(attemptFromAvro),
  };
  if (r.batchId !== null) i.batchId = r.batchId;
  if (r.deferrals !== null) i.deferrals = r.deferrals;
  if (r.replay !== null) i.replay = { replayId: r.replay.replayId, replayedAt: r.replay.replayedAt, source: sourceFromAvro(r.replay.source) };
  return i;
}

export const toAvro: Readonly<Record<string, (value: any) => AvroRecord>> = {
  WorkItem: itemToAvro,
  WorkFailed: (v: WorkFailed.Value) => ({
    item: itemToAvro(v.item),
    failure: failureToAvro(v.failure),
    failedAt: v.failedAt,
    durationMs: v.durationMs,
    source: v.source,
  }),
  WorkAbandoned: (v: WorkAbandoned.Value) => ({
    item: itemToAvro(v.item),
    reason: v.reason,
    detail: v.detail,
    lastFailure: failureToAvro(v.lastFailure),
    abandonedAt: v.abandonedAt,
  }),
};

export const fromAvro: Readonly<Record<string, (record: AvroRecord) => unknown>> = {
  WorkItem: itemFromAvro,
  WorkFailed: (r): WorkFailed.Value => ({
    item: itemFromAvro(r.item),
    failure: failureFromAvro(r.failure),
    failedAt: r.failedAt,
    durationMs: r.durationMs,
    source: sourceFromAvro(r.source),
  }),
  WorkAbandoned: (r): WorkAbandoned.Value => ({
    item: itemFromAvro(r.item),
    reason: r.reason,
    detail: r.detail,
    lastFailure: failureFromAvro(r.lastFailure),
    abandonedAt: r.abandonedAt,
  }),
};
