import type { Socket } from 'node:net';
import type { Kafka } from 'kafkajs';
import { TcpRelay } from './tcp-relay';

/** Kafka API keys whose responses carry broker addresses. */
const METADATA = 3;
const FIND_COORDINATOR = 10;
/** The last versions with a non-flexible encoding (kafkajs 2.2.4 asks Metadata v6 and FindCoordinator v2 at most). */
const MAX_PLAIN_VERSION: Record<number, number> = { [METADATA]: 8, [FIND_COORDINATOR]: 2 };

/**
 * A relay in front of every broker of the cluster that a client cannot get
 * around: Kafka tells a client where the brokers are (Metadata) and where a
 * group's or a transaction's coordinator is (FindCoordinator), and a client
 * then connects there directly, so a plain relay would only carry the first
 * connection. This one rewrites those addresses to its own (one relay port per
 * broker), so every connection of the client goes through it, and `close()`
 * cuts the client off Kafka while the broker keeps running for everyone else.
 */
export class KafkaRelay {
  private readonly relays = new Map<string, TcpRelay>();
  /** Responses it could not rewrite (a protocol version it does not know): the test should fail on them. */
  readonly problems: string[] = [];

  /** Opens one relay per broker of the cluster `kafka` reaches. */
  static async start(kafka: Kafka): Promise<KafkaRelay> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      const relay = new KafkaRelay();
      for (const broker of brokers) {
        const upstream = { host: broker.host, port: broker.port };
        relay.relays.set(`${broker.host}:${broker.port}`, new TcpRelay(upstream, (client, server) => relay.join(client, server)));
      }
      await relay.open();
      return relay;
    } finally {
      await admin.disconnect();
    }
  }

  /** `KAFKA_BROKERS` for a client that must reach Kafka only through the relay. */
  get brokers(): string {
    return [...this.relays.values()].map((relay) => relay.address).join(',');
  }

  async open(): Promise<void> {
    for (const relay of this.relays.values()) await relay.open();
  }

  async close(): Promise<void> {
    await Promise.all([...this.relays.values()].map((relay) => relay.close()));
  }

  private join(client: Socket, upstream: Socket): void {
    // Per connection: the API key and version of each request, by correlation id.
    const asked = new Map<number, { apiKey: number; version: number }>();
    const requests = new FrameReader();
    const responses = new FrameReader();
    client.on('data', (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) {
        const apiKey = frame.readInt16BE(4);
        if (apiKey === METADATA || apiKey === FIND_COORDINATOR) asked.set(frame.readInt32BE(8), { apiKey, version: frame.readInt16BE(6) });
        upstream.write(frame);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      for (const frame of responses.push(chunk)) {
        const correlationId = frame.readInt32BE(4);
        const request = asked.get(correlationId);
        asked.delete(correlationId);
        client.write(request ? this.rewrite(frame, request.apiKey, request.version) : frame);
      }
    });
  }

  private rewrite(frame: Buffer, apiKey: number, version: number): Buffer {
    if (version > (MAX_PLAIN_VERSION[apiKey] as number)) {
      this.problems.push(`api ${apiKey} v${version}: flexible encoding, not rewritten`);
      return frame;
    }
    const out = new Writer();
    let at = 8; // size, correlation id
    out.bytes(frame.subarray(4, 8));
    if (apiKey === METADATA) {
      if (version >= 3) at = out.copy(frame, at, 4); // throttle_time_ms
      const count = frame.readInt32BE(at);
      at = out.copy(frame, at, 4);
      for (let n = 0; n < count; n++) {
        at = out.copy(frame, at, 4); // node_id
        at = this.address(frame, at, out);
        if (version >= 1) at = out.copy(frame, at, 2 + Math.max(0, frame.readInt16BE(at))); // rack
      }
    } else {
      if (version >= 1) at = out.copy(frame, at, 4); // throttle_time_ms
      at = out.copy(frame, at, 2); // error_code
      if (version >= 1) at = out.copy(frame, at, 2 + Math.max(0, frame.readInt16BE(at))); // error_message
      at = out.copy(frame, at, 4); // node_id
      at = this.address(frame, at, out);
    }
    out.bytes(frame.subarray(at));
    return out.framed();
  }

  /** Reads host (STRING) and port (INT32) at `at`, writes the relay's in their place; returns the offset after them. */
  private address(frame: Buffer, at: number, out: Writer): number {
    const length = frame.readInt16BE(at);
    const host = frame.subarray(at + 2, at + 2 + Math.max(0, length)).toString('utf8');
    const port = frame.readInt32BE(at + 2 + Math.max(0, length));
    const relay = this.relays.get(`${host}:${port}`);
    if (relay) {
      const local = Buffer.from('127.0.0.1');
      out.int16(local.length);
      out.bytes(local);
      out.int32(relay.port);
    } else {
      // An error answer (no coordinator yet: empty host, port -1) or a broker that joined later.
      if (length > 0) this.problems.push(`broker ${host}:${port} has no relay`);
      out.bytes(frame.subarray(at, at + 2 + Math.max(0, length) + 4));
    }
    return at + 2 + Math.max(0, length) + 4;
  }
}

/** Splits a byte stream into Kafka frames (INT32 size, then that many bytes). */
class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Buffer[] = [];
    while (this.buffered.length >= 4) {
      const end = 4 + this.buffered.readInt32BE(0);
      if (this.buffered.length < end) break;
      frames.push(this.buffered.subarray(0, end));
      this.buffered = this.buffered.subarray(end);
    }
    return frames;
  }
}

class Writer {
  private readonly parts: Buffer[] = [];

  bytes(buffer: Buffer): void {
    this.parts.push(buffer);
  }

  /** Copies `length` bytes of `source` from `at`; returns the offset after them. */
  copy(source: Buffer, at: number, length: number): number {
    this.parts.push(source.subarray(at, at + length));
    return at + length;
  }

  int16(value: number): void {
    const buffer = Buffer.alloc(2);
    buffer.writeInt16BE(value);
    this.parts.push(buffer);
  }

  int32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    this.parts.push(buffer);
  }

  /** The parts with their INT32 size in front. */
  framed(): Buffer {
    const body = Buffer.concat(this.parts);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    return Buffer.concat([size, body]);
  }
}
