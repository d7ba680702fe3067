import { brokerVersionEvidence, evidenceMatches, kafkaVersionFromLog } from './kafka-broker-version';
import { parseKafkaVersion } from './kafka-version';
import { describeMetadataVersion } from './metadata-version';

// What a 3.9.1 and a 4.4.0 broker of the local stack answered (Produce and Fetch ranges, metadata.version).
const KAFKA_391 = {
  errorCode: 0,
  apiKeys: [
    { apiKey: 0, minVersion: 0, maxVersion: 11 },
    { apiKey: 1, minVersion: 0, maxVersion: 17 },
  ],
  finalizedFeatures: [{ name: 'metadata.version', minVersionLevel: 21, maxVersionLevel: 21 }],
};
const KAFKA_440 = {
  errorCode: 0,
  apiKeys: [
    { apiKey: 0, minVersion: 0, maxVersion: 13 }, // 4.x still advertises Produce v0-2 (for librdkafka)
    { apiKey: 1, minVersion: 4, maxVersion: 18 },
  ],
  finalizedFeatures: [{ name: 'metadata.version', minVersionLevel: 33, maxVersionLevel: 33 }],
};

describe('brokerVersionEvidence', () => {
  it('tells the 3.x line from the 4.x line and names the metadata.version', () => {
    expect(brokerVersionEvidence(KAFKA_391)).toMatchObject({ line: 3, label: 'Kafka 3.x (metadata.version 3.9-IV0)' });
    expect(brokerVersionEvidence(KAFKA_440)).toMatchObject({ line: 4, label: 'Kafka 4.x (metadata.version 4.4-IV2)' });
  });

  it('falls back on the Fetch versions for the line when the metadata.version is unknown or missing', () => {
    expect(brokerVersionEvidence({ ...KAFKA_440, finalizedFeatures: [{ name: 'metadata.version', minVersionLevel: 99, maxVersionLevel: 99 }] }).label).toBe(
      'Kafka 4.x (metadata.version level 99)',
    );
    expect(brokerVersionEvidence({ ...KAFKA_440, finalizedFeatures: [] }).label).toBe('Kafka 4.x (no metadata.version)');
    expect(brokerVersionEvidence({ ...KAFKA_391, finalizedFeatures: [] }).label).toBe('Kafka 3.x (no metadata.version)');
  });
});

describe('evidenceMatches', () => {
  it('accepts the same line and release only', () => {
    expect(evidenceMatches(brokerVersionEvidence(KAFKA_440), parseKafkaVersion('4.4.0'))).toBe(true);
    expect(evidenceMatches(brokerVersionEvidence(KAFKA_440), parseKafkaVersion('4.4.1'))).toBe(true);
    expect(evidenceMatches(brokerVersionEvidence(KAFKA_440), parseKafkaVersion('4.1.1'))).toBe(false);
    expect(evidenceMatches(brokerVersionEvidence(KAFKA_440), parseKafkaVersion('3.9.1'))).toBe(false);
    expect(evidenceMatches(brokerVersionEvidence(KAFKA_391), parseKafkaVersion('4.4.0'))).toBe(false);
    expect(evidenceMatches(brokerVersionEvidence(KAFKA_391), parseKafkaVersion('3.9.1'))).toBe(true);
  });
});

describe('describeMetadataVersion', () => {
  it('maps levels to their names and releases', () => {
    expect(describeMetadataVersion(21)).toEqual({ level: 21, name: '3.9-IV0', release: '3.9' });
    expect(describeMetadataVersion(22)).toEqual({ level: 22, name: '4.0-IV0', release: '4.0' });
    expect(describeMetadataVersion(500)).toEqual({ level: 500 });
  });
});

describe('kafkaVersionFromLog', () => {
  it('reads the version a broker prints at start', () => {
    const log = [
      '[2026-12-02 03:13:33,440] INFO Kafka version: 3.9.1 (org.apache.kafka.common.utils.AppInfoParser)',
      '[2026-12-02 03:13:33,440] INFO Kafka commitId: f745dfdcee2b9851 (org.apache.kafka.common.utils.AppInfoParser)',
    ].join('\n');
    expect(kafkaVersionFromLog(log)).toBe('3.9.1');
    expect(kafkaVersionFromLog('[x] INFO Kafka version: 4.4.0 (org.apache.kafka.common.utils.AppInfoParser)')).toBe('4.4.0');
    expect(kafkaVersionFromLog('starting...')).toBeUndefined();
  });
});
