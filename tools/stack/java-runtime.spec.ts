import { JavaNotFoundError } from './errors';
import {
  APICURIO_JAVA_REQUIREMENT,
  JavaCandidate,
  kafkaJavaRequirement,
  chooseJavaRuntime,
  parseJavaVersion,
} from './java-runtime';
import { parseKafkaVersion } from './kafka-version';

describe('parseJavaVersion', () => {
  it.each([
    [
      'Debian OpenJDK 17',
      'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\nOpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)',
      '17.0.15',
      17,
    ],
    [
      'Temurin 25 LTS',
      'openjdk version "25.0.3" 2026-04-21 LTS\nOpenJDK Runtime Environment Temurin-25.0.3+9 (build 25.0.3+9-LTS)',
      '25.0.3',
      25,
    ],
    ['a GA release without update number', 'openjdk version "21" 2023-09-19\nOpenJDK Runtime Environment (build 21+35-2513)', '21', 21],
    ['Oracle Java 8 (1.x scheme)', 'java version "1.8.0_392"\nJava(TM) SE Runtime Environment (build 1.8.0_392-b08)', '1.8.0_392', 8],
    ['an early-access build', 'openjdk version "26-ea" 2026-03-17\nOpenJDK Runtime Environment (build 26-ea+5-123)', '26-ea', 26],
    [
      'a JAVA_TOOL_OPTIONS banner before the version',
      'Picked up JAVA_TOOL_OPTIONS: -Dfile.encoding=UTF-8\nopenjdk version "11.0.22" 2024-01-16',
      '11.0.22',
      11,
    ],
  ])('reads %s', (_name, output, version, major) => {
    expect(parseJavaVersion(output)).toEqual({ version, major });
  });

  it('returns undefined for output that is not from java -version', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
    expect(parseJavaVersion('')).toBeUndefined();
  });
});

const java = (source: JavaCandidate['source'], javaBin: string, version?: string): JavaCandidate => {
  if (version === undefined) return { source, javaBin, problem: 'not found' };
  const parsed = parseJavaVersion(`openjdk version "${version}"`);
  if (!parsed) throw new Error(`bad test version ${version}`);
  return { source, javaBin, version: parsed };
};

describe('chooseJavaRuntime for Apicurio Registry (Java 21+, newest first)', () => {
  const java17OnPath = java('PATH', '/usr/bin/java', '17.0.15');
  const jvm17 = java('jvm-dir', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '17.0.15');
  const jvm21 = java('jvm-dir', '/usr/lib/jvm/temurin-21-jdk-amd64/bin/java', '21.0.5');
  const jvm25 = java('jvm-dir', '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java', '25.0.3');

  it('takes the newest runtime under /usr/lib/jvm when PATH and JAVA_HOME are too old', () => {
    const chosen = chooseJavaRuntime(
      [java('JAVA_HOME', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '17.0.15'), java17OnPath, jvm17, jvm21, jvm25],
      APICURIO_JAVA_REQUIREMENT,
    );
    expect(chosen).toEqual({ source: 'jvm-dir', javaBin: jvm25.javaBin, version: { version: '25.0.3', major: 25 } });
  });

  it('prefers JAVA_HOME when it is new enough, even over a newer runtime', () => {
    const javaHome = java('JAVA_HOME', '/opt/jdk-21/bin/java', '21.0.5');
    expect(chooseJavaRuntime([javaHome, java17OnPath, jvm25], APICURIO_JAVA_REQUIREMENT).javaBin).toBe('/opt/jdk-21/bin/java');
  });

  it('prefers APICURIO_JAVA_HOME over everything else', () => {
    const explicit = java('APICURIO_JAVA_HOME', '/opt/jdk-22/bin/java', '22.0.1');
    const javaHome = java('JAVA_HOME', '/opt/jdk-21/bin/java', '21.0.5');
    expect(chooseJavaRuntime([javaHome, jvm25, explicit], APICURIO_JAVA_REQUIREMENT).source).toBe('APICURIO_JAVA_HOME');
  });

  it('fails rather than ignore an APICURIO_JAVA_HOME that is too old or missing', () => {
    const tooOld = java('APICURIO_JAVA_HOME', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '17.0.15');
    expect(() => chooseJavaRuntime([tooOld, jvm25], APICURIO_JAVA_REQUIREMENT)).toThrow(/APICURIO_JAVA_HOME is set but/);
    const missing = java('APICURIO_JAVA_HOME', '/nowhere/bin/java');
    expect(() => chooseJavaRuntime([missing, jvm25], APICURIO_JAVA_REQUIREMENT)).toThrow(JavaNotFoundError);
  });

  it('falls back to java on PATH when it is the only new-enough runtime', () => {
    const path21 = java('PATH', '/usr/local/bin/java', '21.0.5');
    expect(chooseJavaRuntime([path21, jvm17], APICURIO_JAVA_REQUIREMENT).javaBin).toBe('/usr/local/bin/java');
  });

  it('throws JavaNotFoundError naming every runtime looked at and what to install', () => {
    let error: unknown;
    try {
      chooseJavaRuntime([java17OnPath, jvm17, java('jvm-dir', '/usr/lib/jvm/broken/bin/java')], APICURIO_JAVA_REQUIREMENT);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JavaNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('Apicurio Registry 3.3.3 needs Java 21 or newer');
    expect(message).toContain('PATH: /usr/bin/java (Java 17.0.15)');
    expect(message).toContain('/usr/lib/jvm/broken/bin/java (not found)');
    expect(message).toContain('APICURIO_JAVA_HOME');
    expect((error as JavaNotFoundError).retryable).toBe(false);
  });
});

const KAFKA_3 = kafkaJavaRequirement(parseKafkaVersion('3.9.1'));
const KAFKA_4 = kafkaJavaRequirement(parseKafkaVersion('4.4.0'));

describe('chooseJavaRuntime for Kafka (Java 11+ for 3.x, 17+ for 4.x, the machine default first)', () => {
  it('takes java on PATH (the machine default) over a newer runtime under /usr/lib/jvm', () => {
    const chosen = chooseJavaRuntime(
      [java('PATH', '/usr/bin/java', '17.0.15'), java('jvm-dir', '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java', '25.0.3')],
      KAFKA_4,
    );
    expect(chosen.javaBin).toBe('/usr/bin/java');
  });

  it('takes the newest under /usr/lib/jvm when there is no java on PATH', () => {
    const chosen = chooseJavaRuntime(
      [
        java('jvm-dir', '/usr/lib/jvm/java-11-openjdk-amd64/bin/java', '11.0.22'),
        java('jvm-dir', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '17.0.9'),
        java('jvm-dir', '/usr/lib/jvm/java-17.0.15/bin/java', '17.0.15'),
      ],
      KAFKA_4,
    );
    expect(chosen.javaBin).toBe('/usr/lib/jvm/java-17.0.15/bin/java');
  });

  it('rejects Java 8', () => {
    expect(() => chooseJavaRuntime([java('PATH', '/usr/bin/java', '1.8.0_392')], KAFKA_3)).toThrow(
      /Kafka 3.9.1 needs Java 11 or newer/,
    );
  });

  it('runs 3.x on Java 11 but asks 17 or newer for 4.x', () => {
    const java11 = java('PATH', '/usr/bin/java', '11.0.22');
    expect(chooseJavaRuntime([java11], KAFKA_3).javaBin).toBe('/usr/bin/java');
    expect(() => chooseJavaRuntime([java11], KAFKA_4)).toThrow(/Kafka 4.4.0 needs Java 17 or newer/);
  });
});
