import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { ConfigError, loadConfig, type AppConfig, type ServiceName } from '@workpipe/config';
import { EventPublisher, RecordEncoder, RegistrySerde, TopicLimits, type WorkerFailedError } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { authenticationOffWarning } from './http/authentication-off-warning';
import { docsGate } from './http/docs-gate.middleware';
import { HardenedExpressAdapter } from './http/hardened-express-adapter';
import { HttpErrorFilter } from './http/http-error.filter';
import { securityHeaders } from './http/security-headers.middleware';
import { startDefaultMetrics } from './metrics/default-metrics';
import { KAFKA, KAFKA_ADMIN, ROOT_LOGGER } from './tokens/injection-tokens';
import { CONSUMER_SPECS, type ConsumerSpecs } from './worker/consumer-definitions';
import { PartitionWorkerServer } from './worker/partition-worker.server';
import { PassThroughRpcFilter } from './worker/pass-through-rpc.filter';
import { WorkerRegistry } from './worker/worker-registry';

export interface CreateServiceOptions {
  /** Called when a consumer gave up recovering; `runService` exits the process non-zero. Default: only recorded (readiness red). */
  onFatal?: (error: WorkerFailedError) => void;
}

export interface ServiceDefinition {
  service: ServiceName;
  /** One-line description shown in the OpenAPI docs. */
  description: string;
  /** Builds the root module from the parsed configuration. */
  module: (config: AppConfig) => DynamicModule;
}

/**
 * Creates, documents and starts a service (its consumers included); used by
 * each app's `main.ts` and by the tests, which then call `listen`.
 */
export async function createService(definition: ServiceDefinition, config: AppConfig, options: CreateServiceOptions = {}): Promise<INestApplication> {
  startDefaultMetrics(definition.service);
  // No body parser before routing: `JsonBodyInterceptor` reads a body only once `ApiKeyGuard` let it through.
  const app = await NestFactory.create<NestExpressApplication>(definition.module(config), new HardenedExpressAdapter(config.http), {
    bufferLogs: true,
    bodyParser: false,
    // A provider that fails (Kafka unreachable past the client's retries) is thrown to the caller,
    // which says what failed in one line and exits 1, instead of Nest printing a stack and aborting.
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  app.use(securityHeaders());
  // Before SwaggerModule.setup registers the docs routes, which Nest's guards never see.
  app.use(docsGate(config));
  app.useGlobalFilters(app.get(HttpErrorFilter));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`workpipe ${definition.service}`)
      .setDescription(definition.description)
      .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  const authOff = authenticationOffWarning(config);
  if (authOff) app.get<Logger>(ROOT_LOGGER).warn({ httpHost: config.http.host }, authOff);
  await app.init();
  await startConsumers(app, config, options);
  return app;
}

/**
 * The service's consumers (its `CONSUMER_SPECS`) as a NestJS custom transport
 * over the partition worker, handlers being `@EventPattern`s of its controllers.
 */
async function startConsumers(app: NestExpressApplication, config: AppConfig, options: CreateServiceOptions): Promise<void> {
  const specs = app.get<ConsumerSpecs>(CONSUMER_SPECS);
  if (specs.length === 0) return;
  const registry = app.get(WorkerRegistry);
  if (options.onFatal) registry.onFatal = options.onFatal;
  const logger = app.get<Logger>(ROOT_LOGGER);
  const kafka = app.get(KAFKA);
  const serde = app.get(RegistrySerde);
  const limits = app.get(TopicLimits);
  const publisher = new EventPublisher(kafka, serde, logger, { limits, timeoutMs: config.publishTimeoutMs, connectTimeoutMs: config.kafka.connectTimeoutMs });
  await publisher.connect();
  const server = new PartitionWorkerServer(
    specs.map((spec) => ({ ...spec, fetchStallMs: spec.fetchStallMs ?? config.consumers.fetchStallMs })),
    {
      kafka,
      admin: app.get(KAFKA_ADMIN),
      serde,
      encoder: app.get(RecordEncoder),
      publisher,
      logger,
      drainTimeoutMs: Math.max(1_000, config.shutdownTimeoutMs - 3_000),
    },
    registry,
  );
  // Deferred, so the filter is in place before Nest wraps the handlers; the app's init hooks already ran.
  const microservice = app.connectMicroservice({ strategy: server }, { deferInitialization: true });
  microservice.useGlobalFilters(new PassThroughRpcFilter());
  (microservice as unknown as { setIsInitHookCalled(value: boolean): void }).setIsInitHookCalled(true);
  await app.startAllMicroservices();
}

/**
 * `main.ts` entry: parses the environment (a bad variable exits 1 naming it),
 * starts the service, and bounds shutdown by SHUTDOWN_TIMEOUT_MS.
 */
export async function runService(definition: ServiceDefinition): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(definition.service);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const onFatal = (error: WorkerFailedError): void => {
    process.stderr.write(`${definition.service}: ${error.message}; exiting\n`);
    process.exit(1);
  };
  try {
    const app = await createService(definition, config, { onFatal });
    await app.listen(config.http.port, config.http.host);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        // A graceful stop: consumers start nothing new (now, before any other shutdown step), finish
        // what is in flight, commit it and leave their groups (app.close), then exit 0; past
        // SHUTDOWN_TIMEOUT_MS, exit 1.
        const registry = app.get(WorkerRegistry);
        registry.quiesce();
        const inFlight = registry.health().reduce((sum, health) => sum + health.inFlight, 0);
        app.get<Logger>(ROOT_LOGGER).info({ signal, inFlight }, 'stop requested: consumers start nothing new; draining');
        setTimeout(() => {
          process.stderr.write(`${definition.service}: shutdown exceeded ${config.shutdownTimeoutMs} ms, exiting\n`);
          process.exit(1);
        }, config.shutdownTimeoutMs).unref();
        app.close().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`${definition.service}: shutdown failed: ${describeStartupError(error)}\n`);
            process.exit(1);
          },
        );
      });
    }
  } catch (error) {
    // A start-up failure (a topic Kafka refuses to create, a registry that never answered, a port
    // in use) ends the process with one readable line and a non-zero code, so an orchestrator restarts it.
    process.stderr.write(`${definition.service}: could not start: ${describeStartupError(error)}\n`);
    process.exit(1);
  }
}

function describeStartupError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current && parts.length < 4; current = (current as { cause?: unknown }).cause) {
    const { name, message } = current as Error;
    parts.push(`${name ?? 'Error'}: ${message ?? String(current)}`);
  }
  return parts.join(' <- ');
}
