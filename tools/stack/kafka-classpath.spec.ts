import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KAFKA_POM,
  cachedClasspathFile,
  classpathStamp,
  kafkaVersionFromClasspath,
  kafkaVersionsOnClasspath,
  mavenPropertiesFor,
  readClasspathFor,
} from './kafka-classpath';
import { parseKafkaVersion } from './kafka-version';

describe('kafkaVersionFromClasspath', () => {
  it('reads the version of the kafka_2.13 jar', () => {
    const classpath = [
      '/root/.m2/repository/org/apache/kafka/kafka-clients/3.9.1/kafka-clients-3.9.1.jar',
      '/root/.m2/repository/org/apache/kafka/kafka_2.13/3.9.1/kafka_2.13-3.9.1.jar',
      '/root/.m2/repository/org/scala-lang/scala-library/2.13.15/scala-library-2.13.15.jar',
    ].join(':');
    expect(kafkaVersionFromClasspath(classpath)).toBe('3.9.1');
  });

  it('is undefined without a Kafka server jar', () => {
    expect(kafkaVersionFromClasspath('/x/kafka-clients-3.9.1.jar:/x/slf4j-api-1.7.36.jar')).toBeUndefined();
  });

  it('lists every server jar, so mixed jars show', () => {
    expect(kafkaVersionsOnClasspath('/a/kafka_2.13-3.9.1.jar:/b/kafka_2.13-4.4.0.jar')).toEqual(['3.9.1', '4.4.0']);
  });
});

describe('readClasspathFor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-classpath-'));
  const jar = (name: string): string => {
    const path = join(dir, name);
    writeFileSync(path, '');
    return path;
  };
  const server391 = jar('kafka_2.13-3.9.1.jar');
  const server440 = jar('kafka_2.13-4.4.0.jar');
  const clients = jar('kafka-clients-4.4.0.jar');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function classpathFile(entries: string[]): string {
    const file = join(dir, `cp-${entries.length}-${Math.random()}.txt`);
    writeFileSync(file, `${entries.join(':')}\n`);
    return file;
  }

  it('gives the classpath of the asked-for version when all its jars exist', () => {
    expect(readClasspathFor(classpathFile([server440, clients]), '4.4.0')).toBe(`${server440}:${clients}`);
  });

  it('never gives one version classpath for another, nor mixed jars, nor missing jars', () => {
    expect(readClasspathFor(classpathFile([server440, clients]), '3.9.1')).toBeUndefined();
    expect(readClasspathFor(classpathFile([server391, server440]), '4.4.0')).toBeUndefined();
    expect(readClasspathFor(classpathFile([server440, join(dir, 'gone.jar')]), '4.4.0')).toBeUndefined();
    expect(readClasspathFor(join(dir, 'no-such-file.txt'), '4.4.0')).toBeUndefined();
  });
});

describe('the classpath cache key', () => {
  it('differs per version, so switching versions never reuses jars', () => {
    expect(cachedClasspathFile('/cache', '4.4.0')).toMatch(/^\/cache\/kafka-classpath-4\.4\.0-[0-9a-f]{16}\.txt$/);
    expect(cachedClasspathFile('/cache', '3.9.1')).toMatch(/^\/cache\/kafka-classpath-3\.9\.1-/);
    expect(classpathStamp(KAFKA_POM, '4.4.0')).not.toBe(classpathStamp(KAFKA_POM, '3.9.1'));
  });

  it('asks Maven for the release and its line (which picks the logging profile)', () => {
    expect(mavenPropertiesFor(parseKafkaVersion('3.9.1'))).toEqual({ 'kafka.version': '3.9.1', 'kafka.line': '3' });
    expect(mavenPropertiesFor(parseKafkaVersion('4.4.0'))).toEqual({ 'kafka.version': '4.4.0', 'kafka.line': '4' });
  });
});
