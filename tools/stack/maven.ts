import { homedir } from 'node:os';
import { join } from 'node:path';
import { MavenFailedError } from './errors';
import { runCommand } from './run-command';

/** Maven coordinates of one artifact. */
export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  /** e.g. `all`; none by default. */
  classifier?: string;
  /** File extension, e.g. `jar`, `tar.gz`. */
  type: string;
}

/** `group:artifact:version[:type[:classifier]]`, the form `dependency:get -Dartifact=` takes. */
export function artifactCoordinates(artifact: MavenArtifact): string {
  const base = `${artifact.groupId}:${artifact.artifactId}:${artifact.version}:${artifact.type}`;
  return artifact.classifier ? `${base}:${artifact.classifier}` : base;
}

/** Where an artifact lives in a Maven local repository. */
export function artifactPathIn(localRepository: string, artifact: MavenArtifact): string {
  const fileName = `${artifact.artifactId}-${artifact.version}${artifact.classifier ? `-${artifact.classifier}` : ''}.${artifact.type}`;
  return join(localRepository, ...artifact.groupId.split('.'), artifact.artifactId, artifact.version, fileName);
}

/** The default local repository, `~/.m2/repository` (a settings.xml may move it: see {@link askMavenLocalRepository}). */
export function defaultMavenLocalRepository(): string {
  return join(homedir(), '.m2', 'repository');
}

/** tools/stack/pom.xml: the Kafka jars to resolve, and the pinned maven-dependency-plugin every goal here uses. */
export const STACK_POM = join(__dirname, 'pom.xml');

/** Lines of Maven output kept for an error message. */
const OUTPUT_TAIL_LINES = 30;

/**
 * Maven runs of this process, one after the other: Maven 3.8 does not lock its local repository, and
 * two first-time runs (Kafka jars, Apicurio archive) would download the same plugins at once.
 */
let mavenQueue: Promise<unknown> = Promise.resolve();

/** Runs `mvn` in batch mode (after any other run of ours) and resolves with its output; rejects with {@link MavenFailedError}. */
export async function runMaven(args: readonly string[]): Promise<string> {
  const fullArgs = ['-B', '-Dstyle.color=never', ...args];
  const turn = mavenQueue.then(() => runCommand('mvn', fullArgs));
  mavenQueue = turn.catch(() => undefined);
  const outcome = await turn;
  if (outcome.exitCode === 0) return outcome.output;
  if (outcome.exitCode === undefined) {
    throw new MavenFailedError(fullArgs, undefined, outcome.notFound ? 'mvn is not on PATH' : outcome.output);
  }
  throw new MavenFailedError(fullArgs, outcome.exitCode, outcome.output.trim().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n'));
}

/**
 * Resolves the dependencies of `pomFile` into the local repository and writes their classpath
 * (absolute jar paths joined by `:`) to `outputFile`. Jars stay in ~/.m2: nothing is copied.
 * `properties` become `-Dname=value` (e.g. the pom's `kafka.version`).
 */
export async function buildClasspath(
  pomFile: string,
  outputFile: string,
  properties: Readonly<Record<string, string>> = {},
): Promise<void> {
  const defines = Object.entries(properties).map(([name, value]) => `-D${name}=${value}`);
  await runMaven(['-q', '-f', pomFile, 'dependency:build-classpath', ...defines, `-Dmdep.outputFile=${outputFile}`]);
}

/** Downloads one artifact (without its dependencies) into the local repository. */
export async function fetchArtifact(artifact: MavenArtifact): Promise<void> {
  await runMaven(['-q', '-f', STACK_POM, 'dependency:get', `-Dartifact=${artifactCoordinates(artifact)}`, '-Dtransitive=false']);
}

/** Asks Maven where its local repository is (honours settings.xml); slower than {@link defaultMavenLocalRepository}. */
export async function askMavenLocalRepository(): Promise<string> {
  const output = await runMaven(['-q', '-f', STACK_POM, 'help:evaluate', '-Dexpression=settings.localRepository', '-DforceStdout']);
  return output.trim().split('\n').pop()?.trim() ?? defaultMavenLocalRepository();
}
