import { join } from 'node:path';
import { KafkaVersion } from './kafka-version';

/** What differs between the Kafka 3.x and 4.x lines when the stack runs a broker or a tool. */
export interface KafkaLineProfile {
  /** The major version: 3 or 4. */
  line: 3 | 4;
  /** Lowest Java feature release the broker runs on: 11 for 3.x, 17 for 4.x. */
  javaMinMajor: number;
  /** JVM flag pointing the broker's logging at its configuration beside this file. */
  brokerLogArg: string;
  /** JVM flag for the quiet logging of one-off tools (storage format). */
  toolsLogArg: string;
  /** Whether the share-group coordinator settings exist (KIP-932, 4.x). */
  hasShareCoordinator: boolean;
}

/** Folder of this file: pom.xml and the logging configurations live beside it. */
const STACK_TOOLS_DIR = __dirname;

/**
 * Kafka 3.x logs with log4j 1 (reload4j) and reads `-Dlog4j.configuration`; Kafka 4.x logs with
 * log4j2 and reads `-Dlog4j2.configurationFile` (the pom's profiles put the matching jars on the classpath).
 */
export function kafkaLineProfile(version: KafkaVersion): KafkaLineProfile {
  if (version.major === 3) {
    return {
      line: 3,
      javaMinMajor: 11,
      brokerLogArg: `-Dlog4j.configuration=file:${join(STACK_TOOLS_DIR, 'log4j.properties')}`,
      toolsLogArg: `-Dlog4j.configuration=file:${join(STACK_TOOLS_DIR, 'tools-log4j.properties')}`,
      hasShareCoordinator: false,
    };
  }
  return {
    line: 4,
    javaMinMajor: 17,
    brokerLogArg: `-Dlog4j2.configurationFile=${join(STACK_TOOLS_DIR, 'log4j2.yaml')}`,
    toolsLogArg: `-Dlog4j2.configurationFile=${join(STACK_TOOLS_DIR, 'tools-log4j2.yaml')}`,
    hasShareCoordinator: true,
  };
}
