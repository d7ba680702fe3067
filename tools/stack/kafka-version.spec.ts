import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidStackSettingError } from './errors';
import { DEFAULT_KAFKA_VERSION, TESTED_KAFKA_VERSIONS, kafkaRelease, parseKafkaVersion } from './kafka-version';

describe('parseKafkaVersion', () => {
  it('reads 3.x (KRaft, 3.3+) and 4.x releases', () => {
    expect(parseKafkaVersion('4.4.0')).toEqual({ text: '4.4.0', major: 4, minor: 4, patch: 0 });
    expect(parseKafkaVersion(' 3.9.1 ')).toMatchObject({ text: '3.9.1', major: 3, minor: 9 });
    expect(parseKafkaVersion('3.3.2').minor).toBe(3);
  });

  it.each(['4.4', 'latest', '2.8.2', '3.2.3', '5.0.0', '4.4.0-rc1'])('rejects %s, naming the variable', (value) => {
    expect(() => parseKafkaVersion(value)).toThrow(InvalidStackSettingError);
    expect(() => parseKafkaVersion(value)).toThrow(/^KAFKA_VERSION must be a Kafka release/);
  });

  it('names another setting when asked to', () => {
    expect(() => parseKafkaVersion('x', '--kafka-version')).toThrow(/^--kafka-version must be/);
  });

  it('gives the release a metadata.version belongs to', () => {
    expect(kafkaRelease(parseKafkaVersion('4.4.0'))).toBe('4.4');
  });
});

describe('DEFAULT_KAFKA_VERSION', () => {
  const repoRoot = join(__dirname, '..', '..');

  it('is a tested 4.x release', () => {
    expect(parseKafkaVersion(DEFAULT_KAFKA_VERSION).major).toBe(4);
    expect(TESTED_KAFKA_VERSIONS).toContain(DEFAULT_KAFKA_VERSION);
    expect(TESTED_KAFKA_VERSIONS).toContain('3.9.1');
  });

  it('is the pom default and the docker-compose.yml image tag default', () => {
    const pom = readFileSync(join(__dirname, 'pom.xml'), 'utf8');
    expect(/<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1]).toBe(DEFAULT_KAFKA_VERSION);
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`image: apache/kafka:\${KAFKA_VERSION:-${DEFAULT_KAFKA_VERSION}}`);
  });
});
