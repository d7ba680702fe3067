import { decodeApiVersionsResponse, encodeApiVersionsRequest } from './kafka-api-versions';

/** Builds an ApiVersions v3 response frame (no size prefix), as a broker writes it. */
function responseFrame(options: {
  correlationId: number;
  apiKeys: [number, number, number][];
  finalized?: [string, number, number][];
  extraTag?: boolean;
}): Buffer {
  const int16 = (value: number): Buffer => {
    const buffer = Buffer.alloc(2);
    buffer.writeInt16BE(value);
    return buffer;
  };
  const int32 = (value: number): Buffer => {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return buffer;
  };
  const varint = (value: number): Buffer => Buffer.from([value]); // values below 128 here
  const compactString = (value: string): Buffer => Buffer.concat([varint(value.length + 1), Buffer.from(value)]);
  const keys = Buffer.concat([
    varint(options.apiKeys.length + 1),
    ...options.apiKeys.map(([key, min, max]) => Buffer.concat([int16(key), int16(min), int16(max), varint(0)])),
  ]);
  const tags: Buffer[] = [];
  if (options.extraTag) tags.push(Buffer.concat([varint(1), varint(8), Buffer.alloc(8)])); // FinalizedFeaturesEpoch
  if (options.finalized) {
    const features = Buffer.concat([
      varint(options.finalized.length + 1),
      ...options.finalized.map(([name, max, min]) => Buffer.concat([compactString(name), int16(max), int16(min), varint(0)])),
    ]);
    tags.push(Buffer.concat([varint(2), varint(features.length), features]));
  }
  return Buffer.concat([int32(options.correlationId), int16(0), keys, int32(0), varint(tags.length), ...tags]);
}

describe('encodeApiVersionsRequest', () => {
  it('writes a size-prefixed ApiVersions v3 request with header v2 and the client software fields', () => {
    const request = encodeApiVersionsRequest(7, 'ab');
    expect(request.readInt32BE(0)).toBe(request.length - 4);
    expect(request.readInt16BE(4)).toBe(18); // api key
    expect(request.readInt16BE(6)).toBe(3); // api version
    expect(request.readInt32BE(8)).toBe(7); // correlation id
    expect(request.readInt16BE(12)).toBe(2); // client id length
    expect(request.subarray(14, 16).toString()).toBe('ab');
    expect(request[16]).toBe(0); // header tagged fields
    expect(request[17]).toBe('workpipe-stack'.length + 1);
    expect(request.subarray(18, 32).toString()).toBe('workpipe-stack');
    expect(request[32]).toBe(4);
    expect(request.subarray(33, 36).toString()).toBe('1.0');
    expect(request[36]).toBe(0); // body tagged fields
    expect(request.length).toBe(37);
  });
});

describe('decodeApiVersionsResponse', () => {
  it('reads the API ranges and the finalized features, skipping other tagged fields', () => {
    const frame = responseFrame({
      correlationId: 1,
      apiKeys: [
        [0, 3, 13],
        [18, 0, 4],
      ],
      finalized: [['metadata.version', 33, 33]],
      extraTag: true,
    });
    expect(decodeApiVersionsResponse(frame)).toEqual({
      correlationId: 1,
      answer: {
        errorCode: 0,
        apiKeys: [
          { apiKey: 0, minVersion: 3, maxVersion: 13 },
          { apiKey: 18, minVersion: 0, maxVersion: 4 },
        ],
        finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: 33, minVersionLevel: 33 }],
      },
    });
  });

  it('has no features when the broker finalized none', () => {
    const { answer } = decodeApiVersionsResponse(responseFrame({ correlationId: 2, apiKeys: [[0, 0, 11]] }));
    expect(answer.finalizedFeatures).toEqual([]);
    expect(answer.apiKeys).toHaveLength(1);
  });

  it('stops at a non-zero error code (its body is v0)', () => {
    const frame = Buffer.from([0, 0, 0, 3, 0, 35, 0, 0, 0, 0]);
    expect(decodeApiVersionsResponse(frame)).toEqual({ correlationId: 3, answer: { errorCode: 35, apiKeys: [], finalizedFeatures: [] } });
  });
});
