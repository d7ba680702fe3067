#!/usr/bin/env tsx
// `npm run bench:serde`: CPU cost and size of our wire encodings, JSON (what RegistrySerde does) against Avro (avsc).
// Pure CPU: no registry, no Kafka. Figures are ratios against the JSON path measured in the same run.
import { deepStrictEqual } from 'node:assert';
import { cpus, loadavg } from 'node:os';
import { encode as wireEncode } from '@kafkajs/confluent-schema-registry/dist/wireEncoder';
import { Type, type Schema } from 'avsc';
import type { z } from 'zod';
import { WorkAbandoned, WorkFailed, WorkItem } from '@workpipe/contracts';
import { AVRO_SCHEMAS, fromAvro, toAvro } from './serde/avro-contracts';
import { representativeEvents } from './serde/representative-events';
import { formatTable, median, spread } from './support/figures';

/** Length of one measured slice, in milliseconds; each case runs ROUNDS slices, interleaved with the other cases. */
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 400);
/** Measured slices per case (the median is reported). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** Warm-up per case before any slice is measured, in milliseconds. */
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 700);

/** The registry id in the 5-byte header; any value, the header has a fixed size. */
const SCHEMA_ID = 42;

type Contract = { EVENT_TYPE: string; Schema: z.ZodType };

interface Serde {
  encode(value: unknown): Buffer;
  decode(buffer: Buffer): unknown;
}

const PATHS = ['a JSON + zod', 'b Avro + zod', 'c Avro, no zod'] as const;
type PathName = (typeof PATHS)[number];

function zodParse(contract: Contract, value: unknown): unknown {
  const parsed = contract.Schema.safeParse(value);
  if (!parsed.success) throw new Error(`${contract.EVENT_TYPE} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** Header 0 + 4-byte schema id, as `@kafkajs/confluent-schema-registry` reads it. */
function payloadOf(buffer: Buffer): Buffer {
  if (buffer[0] !== 0) throw new Error('no magic byte');
  buffer.readInt32BE(1);
  return buffer.subarray(5);
}

/**
 * The three paths for one contract.
 * (a) exactly RegistrySerde.encode/decode minus the registry lookup: zod safeParse, JSON.stringify, wire header
 *     (the library's own `wireEncoder`); header check, JSON.parse, zod safeParse (the registry's ajv pass is off in RegistrySerde).
 * (b) zod safeParse on both sides as today, the contract mapped to its Avro record (payload/result as a JSON string,
 *     optional fields as null unions), avsc toBuffer/fromBuffer, same wire header.
 * (c) (b) without zod: mapping and avsc only, the lower bound of an Avro path.
 */
function serdes(contract: Contract): Record<PathName, Serde> {
  const type = Type.forSchema(AVRO_SCHEMAS[contract.EVENT_TYPE] as Schema, { omitRecordMethods: true });
  const toRecord = toAvro[contract.EVENT_TYPE] as (value: unknown) => unknown;
  const fromRecord = fromAvro[contract.EVENT_TYPE] as (record: unknown) => unknown;
  return {
    'a JSON + zod': {
      encode: (value) => wireEncode(SCHEMA_ID, Buffer.from(JSON.stringify(zodParse(contract, value)))),
      decode: (buffer) => zodParse(contract, JSON.parse(payloadOf(buffer).toString())),
    },
    'b Avro + zod': {
      encode: (value) => wireEncode(SCHEMA_ID, type.toBuffer(toRecord(zodParse(contract, value)))),
      decode: (buffer) => zodParse(contract, fromRecord(type.fromBuffer(payloadOf(buffer)))),
    },
    'c Avro, no zod': {
      encode: (value) => wireEncode(SCHEMA_ID, type.toBuffer(toRecord(value))),
      decode: (buffer) => fromRecord(type.fromBuffer(payloadOf(buffer))),
    },
  };
}

interface Case {
  event: string;
  path: PathName | 'zod only';
  direction: 'encode' | 'decode' | 'safeParse';
  run: () => unknown;
  samples: number[];
}

let sink = 0;

/** Operations per second over one slice of `ms` milliseconds. */
function measure(run: () => unknown, ms: number): number {
  const budget = BigInt(Math.round(ms * 1e6));
  const start = process.hrtime.bigint();
  let ops = 0;
  let elapsed = 0n;
  do {
    for (let i = 0; i < 64; i++) {
      const out = run();
      sink ^= out === undefined ? 0 : 1;
    }
    ops += 64;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return ops / (Number(elapsed) / 1e9);
}

function main(): void {
  const events = representativeEvents();
  const contracts: Record<string, Contract> = {
    [WorkItem.EVENT_TYPE]: WorkItem,
    [WorkFailed.EVENT_TYPE]: WorkFailed,
    [WorkAbandoned.EVENT_TYPE]: WorkAbandoned,
  };

  const cases: Case[] = [];
  const sizes = new Map<string, number>();
  for (const { label, eventType, value } of events) {
    const contract = contracts[eventType] as Contract;
    const expected = zodParse(contract, value);
    for (const [path, serde] of Object.entries(serdes(contract)) as [PathName, Serde][]) {
      const buffer = serde.encode(value);
      // Every path must give back exactly the contract's value, or its figures mean nothing.
      deepStrictEqual(serde.decode(buffer), expected, `${path} does not round-trip ${label}`);
      sizes.set(`${label}|${path}`, buffer.length);
      cases.push({ event: label, path, direction: 'encode', run: () => serde.encode(value), samples: [] });
      cases.push({ event: label, path, direction: 'decode', run: () => serde.decode(buffer), samples: [] });
    }
    // What zod's check alone costs, to read the paths' figures by (each of (a) and (b) runs it twice per message).
    cases.push({ event: label, path: 'zod only', direction: 'safeParse', run: () => zodParse(contract, value), samples: [] });
  }

  const totalS = (cases.length * (WARMUP_MS + ROUNDS * SLICE_MS)) / 1000;
  console.log(
    `serde cost: ${cases.length} cases, warm-up ${WARMUP_MS} ms each, then ${ROUNDS} rounds of ${SLICE_MS} ms per case, ` +
      `rounds interleaved across cases (about ${Math.round(totalS)} s); Node ${process.version}, zod 4, avsc ${avscVersion()}`,
  );
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(2)} at start (other work on the machine skews absolute figures, less the ratios)`);
  for (const c of cases) measure(c.run, WARMUP_MS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) c.samples.push(measure(c.run, SLICE_MS));
  }

  const opsOf = (event: string, path: Case['path'], direction: Case['direction']): Case =>
    cases.find((c) => c.event === event && c.path === path && c.direction === direction) as Case;
  const rows: string[][] = [];
  const ratios: Record<PathName, { encode: number[]; decode: number[]; trip: number[]; size: number[] }> = {
    'a JSON + zod': { encode: [], decode: [], trip: [], size: [] },
    'b Avro + zod': { encode: [], decode: [], trip: [], size: [] },
    'c Avro, no zod': { encode: [], decode: [], trip: [], size: [] },
  };
  const zodShares: number[] = [];
  for (const { label } of events) {
    const base = opsOf(label, 'a JSON + zod', 'encode');
    const baseDec = opsOf(label, 'a JSON + zod', 'decode');
    const baseTripUs = 1e6 / median(base.samples) + 1e6 / median(baseDec.samples);
    const baseSize = sizes.get(`${label}|a JSON + zod`) as number;
    for (const path of PATHS) {
      const enc = opsOf(label, path, 'encode');
      const dec = opsOf(label, path, 'decode');
      const encOps = median(enc.samples);
      const decOps = median(dec.samples);
      const tripUs = 1e6 / encOps + 1e6 / decOps;
      const size = sizes.get(`${label}|${path}`) as number;
      const r = ratios[path];
      r.encode.push(encOps / median(base.samples));
      r.decode.push(decOps / median(baseDec.samples));
      r.trip.push(baseTripUs / tripUs);
      r.size.push(size / baseSize);
      rows.push([
        label,
        path,
        String(size),
        fmtRatio(size / baseSize),
        fmtOps(encOps),
        fmtRatio(encOps / median(base.samples)),
        fmtOps(decOps),
        fmtRatio(decOps / median(baseDec.samples)),
        tripUs.toFixed(2),
        fmtRatio(baseTripUs / tripUs),
      ]);
    }
  }

  console.log('');
  console.log(
    formatTable(
      ['event', 'path', 'bytes', 'bytes/(a)', 'encode ops/s', 'enc x(a)', 'decode ops/s', 'dec x(a)', 'enc+dec µs', 'speed x(a)'],
      rows,
      2,
    ),
  );
  console.log('');
  console.log('bytes: the whole Kafka value (5-byte wire header + body), uncompressed. ops/s: median of the rounds.');
  console.log('x(a): ratio to path (a) for the same event, measured in this run; above 1 = faster (or, for bytes, larger).');
  console.log('enc+dec µs: 1/encode + 1/decode, the CPU one message costs its producer and one consumer.');
  const spreads = cases.map((c) => ({ c, spread: spread(c.samples) })).sort((x, y) => x.spread - y.spread);
  const worst = spreads.at(-1) as { c: Case; spread: number };
  console.log(
    `stability: spread (max-min)/median of a case's rounds: median ${(median(spreads.map((x) => x.spread)) * 100).toFixed(1)} %, ` +
      `worst ${(worst.spread * 100).toFixed(1)} % (${worst.c.event}, ${worst.c.path}, ${worst.c.direction}); the median of the rounds is what is reported`,
  );
  console.log('Avro mapping: payload and result as a JSON string field (a map of strings would turn numbers and nested objects');
  console.log('into strings); optional fields as ["null", T] unions mapped back to absent; timestamps kept as ISO strings.');

  console.log('');
  const zodRows = events.map(({ label }) => {
    const zodUs = 1e6 / median(opsOf(label, 'zod only', 'safeParse').samples);
    const aTripUs = 1e6 / median(opsOf(label, 'a JSON + zod', 'encode').samples) + 1e6 / median(opsOf(label, 'a JSON + zod', 'decode').samples);
    zodShares.push((2 * zodUs) / aTripUs);
    return [label, zodUs.toFixed(2), `${((200 * zodUs) / aTripUs).toFixed(0)} %`];
  });
  console.log(formatTable(['event', 'zod safeParse µs', "2 x zod / (a)'s enc+dec"], zodRows));

  const geo = (values: number[]): number => Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
  const b = ratios['b Avro + zod'];
  const c = ratios['c Avro, no zod'];
  console.log('');
  console.log(
    `conclusion: Avro + zod is ${fmtRatio(geo(b.trip))} the speed of JSON + zod per message (encode ${fmtRatio(geo(b.encode))}, ` +
      `decode ${fmtRatio(geo(b.decode))}), Avro without zod ${fmtRatio(geo(c.trip))}; Avro values are ${fmtRatio(geo(b.size))} ` +
      `the bytes (geometric means over the 3 events); zod is ${(geo(zodShares) * 100).toFixed(0)} % of the JSON path's CPU.`,
  );
  if (sink === -1) console.log('');
}

function fmtOps(ops: number): string {
  return Math.round(ops).toLocaleString('en-US');
}

function fmtRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

function avscVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('avsc/package.json') as { version: string }).version;
}

main();
