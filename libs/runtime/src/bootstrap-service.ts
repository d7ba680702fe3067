import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { ConfigError, loadConfig, type AppConfig, type ServiceName } from '@workpipe/config';
import { HttpErrorFilter } from './http/http-error.filter';
import { jsonBodyMiddleware } from './http/json-body.middleware';
import { startDefaultMetrics } from './metrics/default-metrics';

export interface ServiceDefinition {
  service: ServiceName;
  /** One-line description shown in the OpenAPI docs. */
  description: string;
  /** Builds the root module from the parsed configuration. */
  module: (config: AppConfig) => DynamicModule;
}

/** Creates, documents and starts a service; used by each app's `main.ts` and by the tests. */
export async function createService(definition: ServiceDefinition, config: AppConfig): Promise<INestApplication> {
  startDefaultMetrics(definition.service);
  const app = await NestFactory.create<NestExpressApplication>(definition.module(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  app.use(...jsonBodyMiddleware());
  app.useGlobalFilters(app.get(HttpErrorFilter));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`workpipe ${definition.service}`)
      .setDescription(definition.description)
      .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
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
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Nest's shutdown hooks drain consumers; this only guards against a hang.
      setTimeout(() => {
        process.stderr.write(`${definition.service}: shutdown exceeded ${config.shutdownTimeoutMs} ms, exiting\n`);
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    });
  }
  try {
    const app = await createService(definition, config);
    await app.listen(config.http.port, config.http.host);
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
