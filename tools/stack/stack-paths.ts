import { join } from 'node:path';

/** Every file and folder the local stack keeps under its state folder (`.stack/` by default). */
export interface StackPaths {
  root: string;
  logsDir: string;
  /** Which mode the last `up` used, so `down` and `status` follow it. */
  modeFile: string;

  kafkaDir: string;
  kafkaDataDir: string;
  kafkaServerProperties: string;
  /** The resolved Maven classpath, one line, `:`-separated; tools/stack/kafka-tool.sh reads it too. */
  kafkaClasspathFile: string;
  /** Hash of the pom.xml the classpath was resolved from, to notice a changed pom. */
  kafkaClasspathStampFile: string;
  kafkaLog: string;
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
    kafkaDataDir: join(kafkaDir, 'data'),
    kafkaServerProperties: join(kafkaDir, 'server.properties'),
    kafkaClasspathFile: join(kafkaDir, 'classpath.txt'),
    kafkaClasspathStampFile: join(kafkaDir, 'classpath.pom.sha256'),
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
