import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What `kafka-storage format` needs to prepare one node's data folder. */
export interface StorageFormatRequest {
  javaBin: string;
  classpath: string;
  /** The line's quiet logging flag (see KafkaLineProfile.toolsLogArg). */
  toolsLogArg: string;
  /** The node's server.properties (gives log.dirs and the quorum). */
  serverProperties: string;
  /** KRaft cluster id: every node of a cluster is formatted with the same one. */
  clusterId: string;
  cwd: string;
  /** The tool's output is appended here (the broker's log). */
  logFile: string;
}

/** True when `dataDir` was formatted already (it holds meta.properties). */
export function isFormatted(dataDir: string): boolean {
  return existsSync(join(dataDir, 'meta.properties'));
}

/** The `cluster.id` a formatted data folder belongs to, if it is formatted. */
export function formattedClusterId(dataDir: string): string | undefined {
  try {
    return /^cluster\.id=(.+)$/m.exec(readFileSync(join(dataDir, 'meta.properties'), 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** `kafka-storage format` (kafka.tools.StorageTool on both lines), once per data folder; its output goes to the broker's log. */
export function formatStorage(request: StorageFormatRequest): Promise<void> {
  const args = [
    request.toolsLogArg,
    '-cp',
    request.classpath,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    request.clusterId,
    '--config',
    request.serverProperties,
    '--ignore-formatted',
  ];
  return new Promise((resolvePromise, reject) => {
    execFile(request.javaBin, args, { cwd: request.cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      mkdirSync(dirname(request.logFile), { recursive: true });
      appendFileSync(request.logFile, `[workpipe stack] kafka-storage format --cluster-id ${request.clusterId}\n${stdout}${stderr}`);
      if (error) reject(new Error(`Formatting the Kafka storage failed (see ${request.logFile}): ${stderr.trim() || error.message}`));
      else resolvePromise();
    });
  });
}
