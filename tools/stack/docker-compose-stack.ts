import { join } from 'node:path';
import { DockerComposeFailedError, ReadinessTimeoutError } from './errors';
import { ProbeResult, waitForReady } from './readiness';
import { runCommand } from './run-command';
import {
  confluentRegistryVersion,
  probeHttpOk,
  probeKafkaMetadata,
  probeRedisPing,
  redisVersion,
} from './service-probes';
import { requestApiVersions } from './kafka-api-versions';
import { brokerVersionEvidence } from './kafka-broker-version';
import { ComponentDownResult, ComponentName, ComponentStatus, ComponentUpResult } from './stack-component';
import { ResolvedStackOptions, STACK_HOST } from './stack-options';
import { StackDownResult, StackEndpoints, StackStatusResult, StackUpResult, versionsOf } from './stack-report';

/** The infrastructure services of docker-compose.yml that the stack manages (the apps are not started here). */
export const COMPOSE_INFRA_SERVICES = ['kafka', 'schema-registry', 'redis', 'kafka-ui'] as const;

/** The compose services behind each stack part. */
const SERVICE_OF: Record<ComponentName, string> = { kafka: 'kafka', 'schema-registry': 'schema-registry', redis: 'redis' };

/** True when a Docker engine answers `docker info` (the CLI alone is not enough). */
export async function isDockerEngineReachable(): Promise<boolean> {
  const outcome = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 10_000 });
  return outcome.exitCode === 0;
}

/** `docker compose` (v2 plugin) when present, else the standalone `docker-compose`. */
async function composeCommand(): Promise<string[]> {
  if ((await runCommand('docker', ['compose', 'version'], { timeoutMs: 10_000 })).exitCode === 0) return ['docker', 'compose'];
  if ((await runCommand('docker-compose', ['version'], { timeoutMs: 10_000 })).exitCode === 0) return ['docker-compose'];
  throw new DockerComposeFailedError(
    'docker compose version',
    'Neither the compose v2 plugin (`docker compose`) nor `docker-compose` is installed. ' +
      'Install the Docker Compose plugin, or run with STACK_MODE=local.',
  );
}

interface DockerPart {
  name: ComponentName;
  label: string;
  endpoint: string;
  probeDescription: string;
  probe: () => Promise<ProbeResult>;
  version: () => Promise<string | undefined>;
}

/**
 * The stack as the repository's docker-compose.yml services (apache/kafka at KAFKA_VERSION,
 * Confluent Schema Registry, Redis, Kafka UI), for machines with a Docker engine. Readiness is
 * checked the same way as for the local stack, from the host. One broker on the default ports
 * only: STACK_KAFKA_BROKERS and the port variables apply to local mode.
 */
export class DockerComposeStack {
  readonly endpoints: StackEndpoints;
  private readonly composeFile: string;
  private readonly parts: readonly DockerPart[];

  constructor(private readonly options: ResolvedStackOptions) {
    this.composeFile = join(options.repoRoot, 'docker-compose.yml');
    const kafkaBrokers = `${STACK_HOST}:9092`;
    const registryUrl = `http://${STACK_HOST}:8081`;
    const redisPort = 6379;
    this.endpoints = { kafkaBrokers, schemaRegistryUrl: registryUrl, redisUrl: `redis://${STACK_HOST}:${redisPort}` };
    this.parts = [
      {
        name: 'kafka',
        label: 'Kafka',
        endpoint: kafkaBrokers,
        probeDescription: `${kafkaBrokers} (broker metadata)`,
        probe: () => probeKafkaMetadata(kafkaBrokers),
        // Read from the broker (the image tag follows KAFKA_VERSION): ApiVersions gives the line and metadata.version.
        version: async () => {
          try {
            return brokerVersionEvidence(await requestApiVersions(STACK_HOST, 9092)).label;
          } catch {
            return undefined;
          }
        },
      },
      {
        name: 'schema-registry',
        label: 'Schema registry',
        endpoint: registryUrl,
        probeDescription: `GET ${registryUrl}/subjects -> 200`,
        probe: () => probeHttpOk(`${registryUrl}/subjects`),
        version: () => confluentRegistryVersion(registryUrl),
      },
      {
        name: 'redis',
        label: 'Redis',
        endpoint: this.endpoints.redisUrl,
        probeDescription: `PING on ${STACK_HOST}:${redisPort}`,
        probe: () => probeRedisPing(redisPort),
        version: () => redisVersion(redisPort),
      },
    ];
  }

  async up(): Promise<StackUpResult> {
    const compose = await composeCommand();
    const before = await Promise.all(this.parts.map((part) => part.probe()));
    // A Redis already answering on 6379 (e.g. the machine's own) is used as it is: its port would clash.
    const redisIndex = this.parts.findIndex((part) => part.name === 'redis');
    const services = COMPOSE_INFRA_SERVICES.filter((service) => !(service === 'redis' && before[redisIndex].ready));
    this.options.log(`docker: ${compose.join(' ')} -f ${this.composeFile} up -d ${services.join(' ')}`);
    await this.compose(compose, ['up', '-d', ...services], true);

    const components = await Promise.all(
      this.parts.map(async (part, index): Promise<ComponentUpResult> => {
        const managed = services.includes(SERVICE_OF[part.name] as (typeof COMPOSE_INFRA_SERVICES)[number]);
        await waitForReady(part.probe, {
          timeoutMs: this.options.readyTimeoutMs,
          onTimeout: (lastReason) =>
            new ReadinessTimeoutError(
              part.label,
              part.probeDescription,
              this.options.readyTimeoutMs,
              managed ? `docker compose logs ${SERVICE_OF[part.name]}` : undefined,
              lastReason,
            ),
        });
        return {
          name: part.name,
          label: part.label,
          endpoint: part.endpoint,
          state: managed ? 'running' : 'external',
          ready: true,
          action: !managed ? 'external' : before[index].ready ? 'already-running' : 'started',
          version: await part.version(),
          detail: managed ? `docker compose service ${SERVICE_OF[part.name]}` : undefined,
        };
      }),
    );
    return {
      ...this.endpoints,
      mode: 'docker',
      startedHere: components.some((component) => component.action === 'started'),
      versions: versionsOf(components),
      components,
      stackDir: this.options.stackDir,
    };
  }

  /** `docker compose stop` for the infrastructure services (containers and volumes are kept). */
  async down(): Promise<StackDownResult> {
    const compose = await composeCommand();
    await this.compose(compose, ['stop', ...COMPOSE_INFRA_SERVICES], true);
    const components = await Promise.all(
      this.parts.map(async (part): Promise<ComponentDownResult> => {
        // Still answering after the stop: not a compose container (e.g. the machine's own Redis).
        const stillUp = (await part.probe()).ready;
        return {
          name: part.name,
          label: part.label,
          action: stillUp ? 'left-external' : 'stopped',
          detail: stillUp ? 'not a compose container; left running' : `docker compose stop ${SERVICE_OF[part.name]}`,
        };
      }),
    );
    return { mode: 'docker', components };
  }

  async status(): Promise<StackStatusResult> {
    const components = await Promise.all(
      this.parts.map(async (part): Promise<ComponentStatus> => {
        const probe = await part.probe();
        return {
          name: part.name,
          label: part.label,
          endpoint: part.endpoint,
          state: probe.ready ? 'running' : 'stopped',
          ready: probe.ready,
          version: probe.ready ? await part.version() : undefined,
          detail: probe.ready ? `docker compose service ${SERVICE_OF[part.name]}` : probe.reason,
        };
      }),
    );
    return {
      ...this.endpoints,
      mode: 'docker',
      ready: components.every((component) => component.ready),
      versions: versionsOf(components),
      components,
      stackDir: this.options.stackDir,
    };
  }

  private async compose(compose: string[], args: string[], echo: boolean): Promise<void> {
    const [command, ...prefix] = compose;
    const fullArgs = [...prefix, '-f', this.composeFile, ...args];
    // docker-compose.yml's image tag is apache/kafka:${KAFKA_VERSION:-<default>}: pass the resolved setting on.
    const env = { KAFKA_VERSION: this.options.kafkaVersion.text };
    const outcome = await runCommand(command, fullArgs, { cwd: this.options.repoRoot, echo, env });
    if (outcome.exitCode !== 0) throw new DockerComposeFailedError(`${command} ${fullArgs.join(' ')}`, outcome.output.trim());
  }
}
