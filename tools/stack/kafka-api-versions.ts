import { Socket } from 'node:net';

/** The API key of ApiVersions in the Kafka protocol. */
export const API_VERSIONS_KEY = 18;
/** Version 3 (KIP-511, Kafka 2.4+) is the first that reports the cluster's finalized features. */
export const API_VERSIONS_VERSION = 3;
/**
 * The API key of Fetch: Kafka 4.0 removed its versions 0 to 3 (KIP-896) and answers ApiVersions
 * with a minimum of 4. (Produce is no marker: 4.x still advertises its versions 0 to 2, for
 * librdkafka, while it rejects them.)
 */
export const FETCH_KEY = 1;

/** One API a broker supports, with its lowest and highest version. */
export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** A cluster-wide feature level, e.g. `metadata.version` at level 33. */
export interface FinalizedFeature {
  name: string;
  minVersionLevel: number;
  maxVersionLevel: number;
}

/** What a broker answered to ApiVersions v3. */
export interface ApiVersionsAnswer {
  /** 0 when the broker answered in full. */
  errorCode: number;
  apiKeys: ApiVersionRange[];
  finalizedFeatures: FinalizedFeature[];
}

function unsignedVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function compactString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([unsignedVarint(bytes.length + 1), bytes]);
}

/**
 * The ApiVersions v3 request, size-prefixed: request header v2 (api key, version, correlation id,
 * client id as a nullable int16-length string, no tagged fields), then the body (client software
 * name and version as compact strings, no tagged fields).
 */
export function encodeApiVersionsRequest(correlationId: number, clientId: string): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const header = Buffer.alloc(10);
  header.writeInt16BE(API_VERSIONS_KEY, 0);
  header.writeInt16BE(API_VERSIONS_VERSION, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(client.length, 8);
  const message = Buffer.concat([
    header,
    client,
    unsignedVarint(0),
    compactString('workpipe-stack'),
    compactString('1.0'),
    unsignedVarint(0),
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(message.length, 0);
  return Buffer.concat([size, message]);
}

/** Reads the protocol's primitive types from a response, failing loudly on a short buffer. */
class ProtocolReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buffer.readUInt8(this.offset++);
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new Error('malformed varint in the ApiVersions response');
  }

  compactString(): string {
    const length = this.unsignedVarint() - 1;
    if (length < 0) return '';
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  compactArray<T>(readItem: () => T): T[] {
    const count = this.unsignedVarint() - 1;
    const items: T[] = [];
    for (let index = 0; index < count; index++) items.push(readItem());
    return items;
  }

  /** Calls `onField` with a reader over each tagged field; unknown tags are skipped by their size. */
  taggedFields(onField: (tag: number, field: ProtocolReader) => void = () => undefined): void {
    const count = this.unsignedVarint();
    for (let index = 0; index < count; index++) {
      const tag = this.unsignedVarint();
      const size = this.unsignedVarint();
      onField(tag, new ProtocolReader(this.buffer.subarray(this.offset, this.offset + size)));
      this.offset += size;
    }
  }
}

/** Tag of FinalizedFeatures among the ApiVersions v3 response's tagged fields. */
const FINALIZED_FEATURES_TAG = 2;

/**
 * Decodes an ApiVersions v3 response frame (without its size prefix): response header v0 (the
 * correlation id; ApiVersions never uses the flexible header), error code, the API ranges,
 * throttle time, then the tagged fields, of which FinalizedFeatures (tag 2) is kept. A non-zero
 * error code (e.g. 35, unsupported version) comes with a v0 body, so nothing more is read.
 */
export function decodeApiVersionsResponse(frame: Buffer): { correlationId: number; answer: ApiVersionsAnswer } {
  const reader = new ProtocolReader(frame);
  const correlationId = reader.int32();
  const errorCode = reader.int16();
  if (errorCode !== 0) return { correlationId, answer: { errorCode, apiKeys: [], finalizedFeatures: [] } };
  const apiKeys = reader.compactArray((): ApiVersionRange => {
    const range = { apiKey: reader.int16(), minVersion: reader.int16(), maxVersion: reader.int16() };
    reader.taggedFields();
    return range;
  });
  reader.int32(); // throttle_time_ms
  let finalizedFeatures: FinalizedFeature[] = [];
  reader.taggedFields((tag, field) => {
    if (tag !== FINALIZED_FEATURES_TAG) return;
    finalizedFeatures = field.compactArray((): FinalizedFeature => {
      const feature = { name: field.compactString(), maxVersionLevel: field.int16(), minVersionLevel: field.int16() };
      field.taggedFields();
      return feature;
    });
  });
  return { correlationId, answer: { errorCode, apiKeys, finalizedFeatures } };
}

/**
 * Asks the broker at host:port which API versions and features it supports (one ApiVersions v3
 * round trip on a fresh connection). Rejects on a connection error or after `timeoutMs` milliseconds.
 */
export function requestApiVersions(host: string, port: number, timeoutMs = 3_000): Promise<ApiVersionsAnswer> {
  const correlationId = 1;
  return new Promise((resolvePromise, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, answer?: ApiVersionsAnswer): void => {
      socket.destroy();
      if (error) reject(error);
      else resolvePromise(answer as ApiVersionsAnswer);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`ApiVersions to ${host}:${port}: no answer within ${timeoutMs} ms`)));
    socket.once('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      try {
        const decoded = decodeApiVersionsResponse(received.subarray(4, 4 + size));
        if (decoded.correlationId !== correlationId) throw new Error(`unexpected correlation id ${decoded.correlationId}`);
        finish(undefined, decoded.answer);
      } catch (error) {
        finish(error as Error);
      }
    });
    socket.connect(port, host, () => socket.write(encodeApiVersionsRequest(correlationId, 'workpipe-stack-version-probe')));
  });
}
