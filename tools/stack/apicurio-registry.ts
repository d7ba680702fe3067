import { mkdirSync } from 'node:fs';
import { APICURIO_JAVA_REQUIREMENT, findJavaRuntime } from './java-runtime';
import { apicurioRunJar, ensureApicurioDistribution } from './apicurio-distribution';
import { apicurioRegistryVersion, probeHttpOk } from './service-probes';
import { ComponentDownResult, ComponentStatus, ComponentUpResult, StackComponent } from './stack-component';
import { APICURIO_REGISTRY_VERSION, ResolvedStackOptions, STACK_HOST } from './stack-options';
import { StackPaths } from './stack-paths';
import { PreparedLaunch, SupervisedProcess } from './supervised-process';

/** Path of Apicurio's Confluent-compatible API, the one the apps' SCHEMA_REGISTRY_URL points at. */
export const APICURIO_CCOMPAT_PATH = '/apis/ccompat/v7';
/** Maximum heap of the local registry. */
export const APICURIO_HEAP = '512m';

/**
 * The local schema registry: Apicurio Registry 3.3.3 with in-memory storage, serving the
 * Confluent Schema Registry API under /apis/ccompat/v7. It needs Java 21+ (see APICURIO_JAVA_REQUIREMENT).
 */
export class ApicurioRegistry implements StackComponent {
  readonly name = 'schema-registry' as const;
  readonly label = 'Schema registry';
  /** e.g. http://127.0.0.1:8081 */
  readonly baseUrl: string;
  /** e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  readonly ccompatUrl: string;
  private readonly supervisor: SupervisedProcess;
  private readonly marker: string;

  constructor(
    private readonly options: ResolvedStackOptions,
    private readonly paths: StackPaths,
  ) {
    this.baseUrl = `http://${STACK_HOST}:${options.ports.schemaRegistry}`;
    this.ccompatUrl = `${this.baseUrl}${APICURIO_CCOMPAT_PATH}`;
    this.marker = `-Dworkpipe.stack.schema-registry=${paths.root}`;
    const subjectsUrl = `${this.ccompatUrl}/subjects`;
    this.supervisor = new SupervisedProcess({
      name: this.name,
      label: this.label,
      port: options.ports.schemaRegistry,
      endpoint: this.ccompatUrl,
      probeDescription: `GET ${subjectsUrl} -> 200`,
      pidFile: paths.apicurioPidFile,
      logFile: paths.apicurioLog,
      marker: this.marker,
      probe: () => probeHttpOk(subjectsUrl),
      version: () => apicurioRegistryVersion(this.baseUrl),
      readyTimeoutMs: options.readyTimeoutMs,
      stopTimeoutMs: options.stopTimeoutMs,
      log: options.log,
    });
  }

  status(): Promise<ComponentStatus> {
    return this.supervisor.status();
  }

  up(): Promise<ComponentUpResult> {
    return this.supervisor.up(() => this.prepare());
  }

  down(): Promise<ComponentDownResult> {
    return this.supervisor.down();
  }

  /** The pid of the registry this stack started, while it runs; undefined otherwise (stopped, or an external one). */
  ownedPid(): number | undefined {
    return this.supervisor.ownedProcess()?.pid;
  }

  private async prepare(): Promise<PreparedLaunch> {
    const { options, paths } = this;
    // Look for Java 21+ first: failing here costs nothing, after a 160 MB download it would.
    const java = await findJavaRuntime(APICURIO_JAVA_REQUIREMENT, { env: options.env });
    const home = await ensureApicurioDistribution(options.cacheDir, APICURIO_REGISTRY_VERSION, options.log);
    mkdirSync(paths.apicurioDir, { recursive: true });
    return {
      command: java.javaBin,
      args: [
        this.marker,
        '-Xms128m',
        `-Xmx${APICURIO_HEAP}`,
        '-XX:+ExitOnOutOfMemoryError',
        // Start-up speed over peak speed (a dev registry serves a few schemas): measured on 2 cores,
        // ready in ~14 s by default, ~8 s with C1 only and the serial GC, ~6 s once the class-data
        // archive exists (written at the first clean exit, refreshed by the JVM when Java or the jars change).
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-XX:+AutoCreateSharedArchive',
        `-XX:SharedArchiveFile=${paths.apicurioClassDataArchive}`,
        `-Dquarkus.http.host=${STACK_HOST}`,
        `-Dquarkus.http.port=${options.ports.schemaRegistry}`,
        // Quarkus's management interface (health, metrics; unused here) listens on 0.0.0.0:9000 by
        // default: keep it on loopback and on a free port, so it never clashes with another stack or app.
        `-Dquarkus.management.host=${STACK_HOST}`,
        '-Dquarkus.management.port=0',
        // Let tests clean up their subjects (DELETE /subjects/...); Apicurio forbids deletes by default.
        '-Dapicurio.rest.deletion.group.enabled=true',
        '-Dapicurio.rest.deletion.artifact.enabled=true',
        '-Dapicurio.rest.deletion.artifact-version.enabled=true',
        '-jar',
        apicurioRunJar(home),
      ],
      // Run from the state folder, so whatever Quarkus writes lands in .stack/, not in the shared cache.
      cwd: paths.apicurioDir,
      logFile: paths.apicurioLog,
      runtime: `Java ${java.version.version} (${java.javaBin})`,
    };
  }
}
