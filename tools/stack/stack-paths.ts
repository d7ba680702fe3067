import { join } from 'node:path';

/** Every file and folder the local stack keeps under its state folder (`.stack/` by default). */
export interface StackPaths {
  root: string;
  logsDir: string;
  /** Which mode the last `up` used, so `down` and `status` follow it. */
  modeFile: string;

  /** Kafka's folder; each version has its own folder inside (see {@link kafkaVersionPaths}). */
  kafkaDir: string;
  /** The Kafka the last start ran (version, brokers, ports), see kafka-topology.ts. */
  kafkaTopologyFile: string;
  /** Log of broker 0 (the single broker); broker i of a cluster logs to `kafka-<i>.log`. */
  kafkaLog: string;
  /** Pid file of broker 0 (the single broker); broker i of a cluster has `kafka-<i>.pid`. */
  kafkaPidFile: string;

  apicurioDir: string;
  /** JVM class-data archive that makes the registry start faster (see ApicurioRegistry). */
  apicurioClassDataArchive: string;
  apicurioLog: string;
  apicurioPidFile: string;

  redisDir: string;
  redisLog: string;
  redisPidFile: string;
}

export function stackPaths(root: string): StackPaths {
  const logsDir = join(root, 'logs');
  const kafkaDir = join(root, 'kafka');
  const apicurioDir = join(root, 'apicurio');
  const redisDir = join(root, 'redis');
  return {
    root,
    logsDir,
    modeFile: join(root, 'mode'),
    kafkaDir,
    kafkaTopologyFile: join(kafkaDir, 'topology.json'),
    kafkaLog: join(logsDir, 'kafka.log'),
    kafkaPidFile: join(kafkaDir, 'kafka.pid'),
    apicurioDir,
    apicurioClassDataArchive: join(apicurioDir, 'class-data.jsa'),
    apicurioLog: join(logsDir, 'apicurio.log'),
    apicurioPidFile: join(apicurioDir, 'apicurio.pid'),
    redisDir,
    redisLog: join(logsDir, 'redis.log'),
    redisPidFile: join(redisDir, 'redis.pid'),
  };
}

/** What one Kafka version keeps in the state folder, apart from any other version's. */
export interface KafkaVersionPaths {
  /** `<stack>/kafka/<version>`. */
  dir: string;
  /** The resolved Maven classpath, one line, `:`-separated; tools/stack/kafka-tool.sh reads it too. */
  classpathFile: string;
  /** Hash of the pom.xml and version the classpath was resolved from, to notice a change. */
  classpathStampFile: string;
}

export function kafkaVersionPaths(paths: StackPaths, version: string): KafkaVersionPaths {
  const dir = join(paths.kafkaDir, version);
  return { dir, classpathFile: join(dir, 'classpath.txt'), classpathStampFile: join(dir, 'classpath.pom.sha256') };
}

/** The files of one Kafka node. */
export interface KafkaNodePaths {
  /** Its working folder. */
  dir: string;
  /** Partitions and the metadata log: per version and per broker count, so no release ever opens another's data. */
  dataDir: string;
  serverProperties: string;
  pidFile: string;
  logFile: string;
}

/**
 * A single broker keeps its data in `kafka/<version>/data`; broker i of a cluster of n in
 * `kafka/<version>/<n>-brokers/broker-<i>/data` (a single node's quorum of one and a cluster's
 * quorum of three cannot share a metadata log). Pid and log files do not depend on the version
 * (`up` reads the running broker's version and refuses a mismatch).
 */
export function kafkaNodePaths(paths: StackPaths, version: string, brokers: number, index: number): KafkaNodePaths {
  const versionDir = kafkaVersionPaths(paths, version).dir;
  const dir = brokers === 1 ? versionDir : join(kafkaClusterDir(paths, version, brokers), `broker-${index}`);
  return {
    dir,
    dataDir: join(dir, 'data'),
    serverProperties: join(dir, 'server.properties'),
    pidFile: index === 0 ? paths.kafkaPidFile : join(paths.kafkaDir, `kafka-${index}.pid`),
    logFile: index === 0 ? paths.kafkaLog : join(paths.logsDir, `kafka-${index}.log`),
  };
}

/** `kafka/<version>/<n>-brokers`: a cluster's nodes and the cluster id they were formatted with. */
export function kafkaClusterDir(paths: StackPaths, version: string, brokers: number): string {
  return join(kafkaVersionPaths(paths, version).dir, `${brokers}-brokers`);
}
