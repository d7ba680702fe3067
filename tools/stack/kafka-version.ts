import { InvalidStackSettingError } from './errors';

/** A Kafka release the local stack can run, e.g. 4.4.0. */
export interface KafkaVersion {
  /** As written, e.g. `4.4.0`. */
  text: string;
  major: number;
  minor: number;
  patch: number;
}

/**
 * Kafka version the local stack runs when KAFKA_VERSION is not set: the newest 4.x release Maven
 * Central serves here. tools/stack/pom.xml's `kafka.version` and docker-compose.yml's image tag
 * default to the same (a spec checks both).
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** The versions the whole suite has been run against (see tools/stack/COMPATIBILITY.md). */
export const TESTED_KAFKA_VERSIONS: readonly string[] = ['4.4.0', '3.9.1'];

/** What KAFKA_VERSION accepts, for messages. */
const ACCEPTED =
  'a Kafka release as major.minor.patch, 3.3.0 or newer (KRaft) on the 3.x line or any 4.x, e.g. 4.4.0 or 3.9.1';

/** Reads a Kafka version setting; throws {@link InvalidStackSettingError} naming `setting` for anything else. */
export function parseKafkaVersion(value: string, setting = 'KAFKA_VERSION'): KafkaVersion {
  const text = value.trim();
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!match) throw new InvalidStackSettingError(setting, value, ACCEPTED);
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const supported = (major === 3 && minor >= 3) || major === 4;
  if (!supported) throw new InvalidStackSettingError(setting, value, ACCEPTED);
  return { text, major, minor, patch };
}

/** `4.4` for 4.4.0: the release a metadata.version belongs to. */
export function kafkaRelease(version: KafkaVersion): string {
  return `${version.major}.${version.minor}`;
}
