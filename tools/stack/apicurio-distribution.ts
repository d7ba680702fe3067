import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArchiveExtractionError } from './errors';
import { MavenArtifact, artifactPathIn, askMavenLocalRepository, defaultMavenLocalRepository, fetchArtifact } from './maven';

/** The Quarkus "fast-jar" distribution of Apicurio Registry, published to Maven Central as a tar.gz (~160 MB). */
export function apicurioArtifact(version: string): MavenArtifact {
  return { groupId: 'io.apicurio', artifactId: 'apicurio-registry-app', version, classifier: 'all', type: 'tar.gz' };
}

/** Written last into an unpacked distribution: its presence means the unpacking finished. */
const COMPLETE_MARKER = '.workpipe-unpacked';

/** Where a version is unpacked, e.g. `~/.cache/workpipe/apicurio-registry-3.3.3`. */
export function apicurioHome(cacheDir: string, version: string): string {
  return join(cacheDir, `apicurio-registry-${version}`);
}

/** The runnable jar of an unpacked distribution. */
export function apicurioRunJar(home: string): string {
  return join(home, 'quarkus-run.jar');
}

export function isApicurioUnpacked(home: string): boolean {
  return existsSync(join(home, COMPLETE_MARKER)) && existsSync(apicurioRunJar(home));
}

function untar(archive: string, into: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile('tar', ['-xzf', archive, '-C', into], { timeout: 300_000 }, (error, _stdout, stderr) => {
      if (error) reject(new ArchiveExtractionError(archive, stderr.trim() || error.message));
      else resolvePromise();
    });
  });
}

/**
 * Returns the folder of an unpacked Apicurio Registry distribution, fetching it with Maven
 * (into ~/.m2) and unpacking it into the cache only when that was not done before. Unpacking
 * goes to a temporary folder renamed into place, so an interrupted run never leaves half a tree.
 */
export async function ensureApicurioDistribution(
  cacheDir: string,
  version: string,
  log: (line: string) => void,
): Promise<string> {
  const home = apicurioHome(cacheDir, version);
  if (isApicurioUnpacked(home)) return home;

  const artifact = apicurioArtifact(version);
  let archive = artifactPathIn(defaultMavenLocalRepository(), artifact);
  if (!existsSync(archive)) {
    log(`schema-registry: fetching Apicurio Registry ${version} from Maven Central (~160 MB, first run only)`);
    await fetchArtifact(artifact);
    // A settings.xml may put the local repository elsewhere: ask Maven where it went.
    if (!existsSync(archive)) archive = artifactPathIn(await askMavenLocalRepository(), artifact);
  }

  log(`schema-registry: unpacking ${archive} into ${home}`);
  mkdirSync(dirname(home), { recursive: true });
  const partial = `${home}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  try {
    await untar(archive, partial);
    if (!existsSync(apicurioRunJar(partial))) throw new ArchiveExtractionError(archive, 'quarkus-run.jar is missing from the archive');
    writeFileSync(join(partial, COMPLETE_MARKER), `${new Date().toISOString()} from ${archive}\n`);
    rmSync(home, { recursive: true, force: true });
    renameSync(partial, home);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  return home;
}
