import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { JavaNotFoundError } from './errors';
import { findExecutable } from './find-executable';
import { kafkaLineProfile } from './kafka-line';
import { KafkaVersion } from './kafka-version';

/** Where a Java candidate came from, in the words a user would use to change it. */
export type JavaSource = 'APICURIO_JAVA_HOME' | 'KAFKA_JAVA_HOME' | 'JAVA_HOME' | 'PATH' | 'jvm-dir';

export interface JavaVersion {
  /** As printed by `java -version`, e.g. `17.0.15`, `1.8.0_392`, `21`. */
  version: string;
  /** Feature release: 8 for `1.8.0_392`, 17 for `17.0.15`. */
  major: number;
}

/** A `java` binary found on the machine, with its version when it could be read. */
export interface JavaCandidate {
  source: JavaSource;
  /** Absolute path of the `java` executable (or `java` itself for PATH). */
  javaBin: string;
  /** Its version, or undefined when `java -version` failed. */
  version?: JavaVersion;
  /** Why the version is unknown (missing binary, failed to run). */
  problem?: string;
}

/** The Java chosen to run a stack part. */
export interface JavaRuntime {
  source: JavaSource;
  javaBin: string;
  version: JavaVersion;
}

export interface JavaRequirement {
  /** What needs it, for messages, e.g. `Apicurio Registry 3.3.3`. */
  purpose: string;
  /** Lowest acceptable feature release, e.g. 21. */
  minMajor: number;
  /** Environment variable naming a Java home that, when set, must be used (and must fit). */
  explicitHomeEnv: 'APICURIO_JAVA_HOME' | 'KAFKA_JAVA_HOME';
  /**
   * Order of the fallbacks after the explicit variable and JAVA_HOME:
   * `path-first` takes `java` on PATH before the newest under the JVM folder (the machine's default Java),
   * `newest-first` takes the newest under the JVM folder before PATH.
   */
  preference: 'path-first' | 'newest-first';
  /** What to install or set when nothing fits. */
  installHint: string;
}

/**
 * Reads the version from `java -version` output (printed on stderr), e.g.
 * `openjdk version "17.0.15" 2025-04-15` -> 17.0.15 / 17, `java version "1.8.0_392"` -> 1.8.0_392 / 8.
 */
export function parseJavaVersion(output: string): JavaVersion | undefined {
  const match = /\bversion\s+"([^"]+)"/.exec(output);
  if (!match) return undefined;
  const version = match[1];
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts) return undefined;
  const first = Number(parts[1]);
  // Before Java 9 the scheme was 1.<major>.0_<update>.
  const major = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first;
  return { version, major };
}

function describe(candidate: JavaCandidate): string {
  const where = candidate.source === 'jvm-dir' ? candidate.javaBin : `${candidate.source}: ${candidate.javaBin}`;
  return candidate.version ? `${where} (Java ${candidate.version.version})` : `${where} (${candidate.problem ?? 'unusable'})`;
}

/** Orders candidates by version, newest first (17.0.15 before 17.0.9: numeric comparison). */
function newestFirst(a: JavaCandidate, b: JavaCandidate): number {
  return (b.version?.version ?? '').localeCompare(a.version?.version ?? '', undefined, { numeric: true });
}

function fits(candidate: JavaCandidate, requirement: JavaRequirement): candidate is JavaCandidate & { version: JavaVersion } {
  return candidate.version !== undefined && candidate.version.major >= requirement.minMajor;
}

/**
 * Picks the Java for a requirement, in this order:
 * 1. the explicit variable (e.g. APICURIO_JAVA_HOME): when set it must fit, otherwise this fails rather than silently using another Java;
 * 2. JAVA_HOME, when it fits;
 * 3. `java` on PATH and the newest fitting runtime under the JVM folder, in the order `preference` says.
 * Throws {@link JavaNotFoundError} listing every candidate looked at when none fits.
 */
export function chooseJavaRuntime(candidates: readonly JavaCandidate[], requirement: JavaRequirement): JavaRuntime {
  const toRuntime = (candidate: JavaCandidate & { version: JavaVersion }): JavaRuntime => ({
    source: candidate.source,
    javaBin: candidate.javaBin,
    version: candidate.version,
  });

  const explicit = candidates.find((candidate) => candidate.source === requirement.explicitHomeEnv);
  if (explicit) {
    if (fits(explicit, requirement)) return toRuntime(explicit);
    throw new JavaNotFoundError(
      requirement.purpose,
      requirement.minMajor,
      [describe(explicit)],
      `${requirement.explicitHomeEnv} is set but does not point at a Java ${requirement.minMajor}+ home. Fix or unset it.`,
    );
  }

  const javaHome = candidates.find((candidate) => candidate.source === 'JAVA_HOME');
  if (javaHome && fits(javaHome, requirement)) return toRuntime(javaHome);

  const onPath = candidates.find((candidate) => candidate.source === 'PATH');
  const newest = candidates
    .filter((candidate) => candidate.source === 'jvm-dir' && fits(candidate, requirement))
    .sort(newestFirst)[0];
  const ordered = requirement.preference === 'path-first' ? [onPath, newest] : [newest, onPath];
  for (const candidate of ordered) {
    if (candidate && fits(candidate, requirement)) return toRuntime(candidate);
  }

  throw new JavaNotFoundError(requirement.purpose, requirement.minMajor, candidates.map(describe), requirement.installHint);
}

/** Runs `<javaBin> -version` and reads its version. */
export function probeJavaVersion(javaBin: string): Promise<JavaVersion | { problem: string }> {
  return new Promise((resolvePromise) => {
    execFile(javaBin, ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        resolvePromise({ problem: 'not found' });
        return;
      }
      const version = parseJavaVersion(`${stderr}\n${stdout}`);
      const problem = error ? `failed to run: ${error.message.split('\n')[0]}` : 'unreadable `java -version` output';
      resolvePromise(version ?? { problem });
    });
  });
}

function javaInHome(home: string): string {
  return join(home, 'bin', 'java');
}

export interface JavaDiscoveryOptions {
  /** Environment holding JAVA_HOME, APICURIO_JAVA_HOME, KAFKA_JAVA_HOME and PATH. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Folder holding installed JVMs, one per sub-folder. Default `/usr/lib/jvm`. */
  jvmRoot?: string;
}

/** Lists and probes every Java the requirement could use: the explicit variable, JAVA_HOME, PATH and each JVM under the JVM folder. */
export async function discoverJavaCandidates(
  requirement: Pick<JavaRequirement, 'explicitHomeEnv'>,
  options: JavaDiscoveryOptions = {},
): Promise<JavaCandidate[]> {
  const env = options.env ?? process.env;
  const jvmRoot = options.jvmRoot ?? '/usr/lib/jvm';
  const found: { source: JavaSource; javaBin: string }[] = [];

  const explicitHome = env[requirement.explicitHomeEnv];
  if (explicitHome) found.push({ source: requirement.explicitHomeEnv, javaBin: javaInHome(explicitHome) });
  if (env.JAVA_HOME) found.push({ source: 'JAVA_HOME', javaBin: javaInHome(env.JAVA_HOME) });
  const onPath = findExecutable('java', env);
  if (onPath) found.push({ source: 'PATH', javaBin: onPath });

  const seen = new Set<string>();
  if (existsSync(jvmRoot)) {
    for (const entry of readdirSync(jvmRoot).sort()) {
      const javaBin = javaInHome(join(jvmRoot, entry));
      if (!existsSync(javaBin)) continue;
      // Debian keeps alias links (java-1.17.0-openjdk-amd64 -> java-17-openjdk-amd64): probe each runtime once.
      const real = realpathSync(javaBin);
      if (seen.has(real)) continue;
      seen.add(real);
      found.push({ source: 'jvm-dir', javaBin });
    }
  }

  return Promise.all(
    found.map(async ({ source, javaBin }): Promise<JavaCandidate> => {
      const probed = await probeJavaVersion(javaBin);
      return 'problem' in probed ? { source, javaBin, problem: probed.problem } : { source, javaBin, version: probed };
    }),
  );
}

/** Finds and probes the machine's Java runtimes and picks one for the requirement (see {@link chooseJavaRuntime}). */
export async function findJavaRuntime(requirement: JavaRequirement, options: JavaDiscoveryOptions = {}): Promise<JavaRuntime> {
  return chooseJavaRuntime(await discoverJavaCandidates(requirement, options), requirement);
}

/**
 * Kafka 3.x brokers run on Java 11+, Kafka 4.x brokers on Java 17+ (KIP-750); the machine's default
 * (PATH) Java is preferred.
 */
export function kafkaJavaRequirement(version: KafkaVersion): JavaRequirement {
  const minMajor = kafkaLineProfile(version).javaMinMajor;
  return {
    purpose: `Kafka ${version.text}`,
    minMajor,
    explicitHomeEnv: 'KAFKA_JAVA_HOME',
    preference: 'path-first',
    installHint:
      `Install a Java ${minMajor}+ runtime (e.g. \`apt-get install openjdk-17-jre-headless\`) or set KAFKA_JAVA_HOME to a Java ${minMajor}+ home.`,
  };
}

/** Apicurio Registry 3.3.3 is built for Java 21 (class file 65): Java 17 fails with UnsupportedClassVersionError. */
export const APICURIO_JAVA_REQUIREMENT: JavaRequirement = {
  purpose: 'Apicurio Registry 3.3.3',
  minMajor: 21,
  explicitHomeEnv: 'APICURIO_JAVA_HOME',
  preference: 'newest-first',
  installHint:
    'Install a Java 21+ runtime (Debian 12 ships only 17: use e.g. an Eclipse Temurin 21 or 25 JDK, ' +
    'or openjdk-21-jre-headless on Debian 13 / Ubuntu 24.04) ' +
    'under /usr/lib/jvm, or set APICURIO_JAVA_HOME to its home (the folder holding bin/java).',
};
