import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STACK_POM, buildClasspath } from './maven';

/** tools/stack/pom.xml: the Kafka broker, its CLI tools and an slf4j binding. */
export const KAFKA_POM = STACK_POM;

/** sha256 of the pom, stored beside the classpath so an edited pom triggers a new resolution. */
export function pomStamp(pomFile: string): string {
  return createHash('sha256').update(readFileSync(pomFile)).digest('hex');
}

/** The Kafka version of the `kafka_2.13-<version>.jar` on a classpath, e.g. `3.9.1`. */
export function kafkaVersionFromClasspath(classpath: string): string | undefined {
  for (const entry of classpath.split(':')) {
    const match = /(?:^|\/)kafka_2\.1[23]-([^/]+)\.jar$/.exec(entry.trim());
    if (match) return match[1];
  }
  return undefined;
}

export interface KafkaClasspathFiles {
  /** Where the `:`-joined classpath is kept. */
  classpathFile: string;
  /** Where the pom's hash is kept. */
  stampFile: string;
}

function readClasspathIfJarsExist(file: string): string | undefined {
  try {
    const classpath = readFileSync(file, 'utf8').trim();
    const entries = classpath.split(':').filter((entry) => entry.length > 0);
    return entries.length > 0 && entries.every((entry) => existsSync(entry)) ? classpath : undefined;
  } catch {
    return undefined;
  }
}

/** The saved classpath when it came from this pom and every jar on it is still in ~/.m2; otherwise undefined. */
export function readValidClasspath(files: KafkaClasspathFiles, pomFile: string = KAFKA_POM): string | undefined {
  try {
    if (readFileSync(files.stampFile, 'utf8').trim() !== pomStamp(pomFile)) return undefined;
  } catch {
    return undefined;
  }
  return readClasspathIfJarsExist(files.classpathFile);
}

/** A copy kept in the cache folder, keyed by the pom's hash, so a fresh state folder (new clone, CI) skips Maven too. */
export function cachedClasspathFile(cacheDir: string, pomFile: string = KAFKA_POM): string {
  return join(cacheDir, `kafka-classpath-${pomStamp(pomFile).slice(0, 16)}.txt`);
}

function save(files: KafkaClasspathFiles, classpath: string, pomFile: string): void {
  mkdirSync(dirname(files.classpathFile), { recursive: true });
  writeFileSync(files.classpathFile, `${classpath}\n`);
  writeFileSync(files.stampFile, `${pomStamp(pomFile)}\n`);
}

/**
 * Returns the broker's classpath, running Maven only when neither the state folder nor the cache
 * holds a valid one (first run: ~25 s to download the jars; afterwards a few file checks).
 */
export async function ensureKafkaClasspath(
  files: KafkaClasspathFiles,
  cacheDir: string,
  log: (line: string) => void,
  pomFile: string = KAFKA_POM,
): Promise<string> {
  const saved = readValidClasspath(files, pomFile);
  if (saved) return saved;
  const cacheFile = cachedClasspathFile(cacheDir, pomFile);
  const cached = readClasspathIfJarsExist(cacheFile);
  if (cached) {
    save(files, cached, pomFile);
    return cached;
  }

  log(`kafka: resolving the Kafka jars with Maven (${pomFile}); the first run downloads them into ~/.m2`);
  mkdirSync(dirname(cacheFile), { recursive: true });
  const partial = `${cacheFile}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  await buildClasspath(pomFile, partial);
  const classpath = readClasspathIfJarsExist(partial);
  if (!classpath) throw new Error(`Maven wrote ${partial} but some jars on it do not exist.`);
  renameSync(partial, cacheFile);
  save(files, classpath, pomFile);
  return classpath;
}
