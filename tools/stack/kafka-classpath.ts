import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KafkaVersion } from './kafka-version';
import { STACK_POM, buildClasspath } from './maven';

/** tools/stack/pom.xml: the Kafka broker, its CLI tools and the logging binding of each line. */
export const KAFKA_POM = STACK_POM;

/**
 * sha256 of the pom and the version, stored beside the classpath so an edited pom (or a classpath
 * file copied from another version's folder) triggers a new resolution.
 */
export function classpathStamp(pomFile: string, version: string): string {
  return createHash('sha256').update(readFileSync(pomFile)).update(`\nkafka.version=${version}\n`).digest('hex');
}

/** The `-D` properties that make the pom resolve one version: the release and its line (which picks the logging profile). */
export function mavenPropertiesFor(version: KafkaVersion): Record<string, string> {
  return { 'kafka.version': version.text, 'kafka.line': String(version.major) };
}

/** Every Kafka version of a `kafka_2.13-<version>.jar` on a classpath (one, unless jars were mixed). */
export function kafkaVersionsOnClasspath(classpath: string): string[] {
  return classpath.split(':').flatMap((entry) => {
    const match = /(?:^|\/)kafka_2\.1[23]-([^/]+)\.jar$/.exec(entry.trim());
    return match ? [match[1]] : [];
  });
}

/** The Kafka version of the `kafka_2.13-<version>.jar` on a classpath, e.g. `3.9.1`. */
export function kafkaVersionFromClasspath(classpath: string): string | undefined {
  return kafkaVersionsOnClasspath(classpath)[0];
}

export interface KafkaClasspathFiles {
  /** Where the `:`-joined classpath is kept. */
  classpathFile: string;
  /** Where the pom's and version's hash is kept. */
  stampFile: string;
}

/**
 * The classpath in `file` when every jar on it still exists and it holds exactly the Kafka server
 * jar of `version` (so a classpath of one version is never used for another); otherwise undefined.
 */
export function readClasspathFor(file: string, version: string): string | undefined {
  try {
    const classpath = readFileSync(file, 'utf8').trim();
    const entries = classpath.split(':').filter((entry) => entry.length > 0);
    if (entries.length === 0 || !entries.every((entry) => existsSync(entry))) return undefined;
    const versions = kafkaVersionsOnClasspath(classpath);
    return versions.length === 1 && versions[0] === version ? classpath : undefined;
  } catch {
    return undefined;
  }
}

/** The saved classpath when it came from this pom for this version and every jar on it is still in ~/.m2; otherwise undefined. */
export function readValidClasspath(files: KafkaClasspathFiles, version: string, pomFile: string = KAFKA_POM): string | undefined {
  try {
    if (readFileSync(files.stampFile, 'utf8').trim() !== classpathStamp(pomFile, version)) return undefined;
  } catch {
    return undefined;
  }
  return readClasspathFor(files.classpathFile, version);
}

/** A copy kept in the cache folder, keyed by version and the pom's hash, so a fresh state folder (new clone, CI) skips Maven too. */
export function cachedClasspathFile(cacheDir: string, version: string, pomFile: string = KAFKA_POM): string {
  return join(cacheDir, `kafka-classpath-${version}-${classpathStamp(pomFile, version).slice(0, 16)}.txt`);
}

function save(files: KafkaClasspathFiles, classpath: string, version: string, pomFile: string): void {
  mkdirSync(dirname(files.classpathFile), { recursive: true });
  writeFileSync(files.classpathFile, `${classpath}\n`);
  writeFileSync(files.stampFile, `${classpathStamp(pomFile, version)}\n`);
}

/**
 * Returns the broker's classpath for `version`, running Maven only when neither the version's
 * state folder nor the cache holds a valid one (first run of a version: ~25 s to download the jars;
 * afterwards a few file checks).
 */
export async function ensureKafkaClasspath(
  files: KafkaClasspathFiles,
  cacheDir: string,
  version: KafkaVersion,
  log: (line: string) => void,
  pomFile: string = KAFKA_POM,
): Promise<string> {
  const saved = readValidClasspath(files, version.text, pomFile);
  if (saved) return saved;
  const cacheFile = cachedClasspathFile(cacheDir, version.text, pomFile);
  const cached = readClasspathFor(cacheFile, version.text);
  if (cached) {
    save(files, cached, version.text, pomFile);
    return cached;
  }

  log(`kafka: resolving the Kafka ${version.text} jars with Maven (${pomFile}); the first run downloads them into ~/.m2`);
  mkdirSync(dirname(cacheFile), { recursive: true });
  const partial = `${cacheFile}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  await buildClasspath(pomFile, partial, mavenPropertiesFor(version));
  const classpath = readClasspathFor(partial, version.text);
  if (!classpath) {
    throw new Error(`Maven wrote ${partial}, but some jars on it do not exist or it does not hold exactly kafka_2.13-${version.text}.jar.`);
  }
  renameSync(partial, cacheFile);
  save(files, classpath, version.text, pomFile);
  return classpath;
}
