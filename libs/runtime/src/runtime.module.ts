import { type DynamicModule, Global, type InjectionToken, Module, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { Admin, Kafka } from 'kafkajs';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '@workpipe/config';
import { HEADERS } from '@workpipe/contracts';
import { connectWithin, createKafka, RecordEncoder, RegistrySerde, TopicLimits, type ConsumerSpec, type TopicSpec } from '@workpipe/kafka';
import { createLogger, loggerOptions, type Logger } from '@workpipe/logging';
import { createRedis } from '@workpipe/redis';
import { ClientLifecycleService } from './client-lifecycle.service';
import { HealthController } from './health/health.controller';
import { ApiKeyGuard } from './http/api-key.guard';
import { HttpErrorFilter } from './http/http-error.filter';
import { JsonBodyInterceptor } from './http/json-body.interceptor';
import { KafkaHealthIndicator } from './health/kafka.health-indicator';
import { RedisHealthIndicator } from './health/redis.health-indicator';
import { MetricsController } from './metrics/metrics.controller';
import { APP_CONFIG, KAFKA, KAFKA_ADMIN, REDIS, ROOT_LOGGER, TOPIC_SPECS } from './tokens/injection-tokens';
import { TopicProvisioningService } from './topic-provisioning.service';
import { CONSUMER_SPECS } from './worker/consumer-definitions';
import { WorkerRegistry } from './worker/worker-registry';
import { WorkersHealthIndicator } from './worker/workers.health-indicator';

export interface RuntimeOptions {
  /** Topics this service needs; created at start-up if missing. */
  topics: TopicSpec[];
  /**
   * The service's consumers, each served by the `@EventPattern(spec.name)`
   * handler of one of its controllers; or a factory of them over the shared
   * clients (e.g. `{ inject: [REDIS, KAFKA_ADMIN], useFactory: (redis, admin) => [...] }`).
   */
  consumers?: ConsumerSpec[] | { inject: InjectionToken[]; useFactory: (...clients: never[]) => ConsumerSpec[] | Promise<ConsumerSpec[]> };
}

/**
 * What every service shares: parsed config, pino logging (HTTP included),
 * Kafka client and admin, Redis, the registry serde, topic provisioning,
 * `/health` and `/metrics`, and the HTTP edge every route passes: `ApiKeyGuard`
 * (keys and roles), then `JsonBodyInterceptor` (the body, read only then).
 */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(config: AppConfig, options: RuntimeOptions): DynamicModule {
    const logger = createLogger({ service: config.service, level: config.log.level, pretty: config.log.pretty });
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: ROOT_LOGGER, useValue: logger },
      { provide: TOPIC_SPECS, useValue: options.topics },
      Array.isArray(options.consumers) || !options.consumers
        ? { provide: CONSUMER_SPECS, useValue: options.consumers ?? [] }
        : { provide: CONSUMER_SPECS, inject: options.consumers.inject, useFactory: options.consumers.useFactory },
      { provide: KAFKA, useFactory: (): Kafka => createKafka(config.kafka, logger) },
      {
        provide: KAFKA_ADMIN,
        inject: [KAFKA],
        useFactory: async (kafka: Kafka): Promise<Admin> => {
          const admin = kafka.admin();
          await connectWithin(() => admin.connect(), { what: 'admin', timeoutMs: config.kafka.connectTimeoutMs, logger });
          return admin;
        },
      },
      { provide: REDIS, useFactory: () => createRedis(config.redis, logger, { name: config.service }) },
      { provide: RegistrySerde, useFactory: () => new RegistrySerde(config.schemaRegistry) },
      { provide: TopicLimits, inject: [KAFKA_ADMIN], useFactory: (admin: Admin) => new TopicLimits(admin) },
      { provide: RecordEncoder, inject: [RegistrySerde, TopicLimits], useFactory: (serde: RegistrySerde, limits: TopicLimits) => new RecordEncoder(serde, limits) },
      WorkerRegistry,
      WorkersHealthIndicator,
      KafkaHealthIndicator,
      RedisHealthIndicator,
      TopicProvisioningService,
      ClientLifecycleService,
      HttpErrorFilter,
      ApiKeyGuard,
      // On every route of every service: a key (or @Public) first, then the body is read.
      { provide: APP_GUARD, useExisting: ApiKeyGuard },
      JsonBodyInterceptor,
      { provide: APP_INTERCEPTOR, useExisting: JsonBodyInterceptor },
    ];
    return {
      module: RuntimeModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions({ service: config.service, level: config.log.level, pretty: config.log.pretty }),
            genReqId: (req: IncomingMessage) => correlationIdOf(req),
            customProps: (req: IncomingMessage) => ({ correlationId: correlationIdOf(req) }),
            // Probes and scrapes every few seconds would drown the useful lines.
            autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [APP_CONFIG, ROOT_LOGGER, KAFKA, KAFKA_ADMIN, REDIS, RegistrySerde, TopicLimits, RecordEncoder, WorkerRegistry, CONSUMER_SPECS, ApiKeyGuard],
    };
  }
}

/** The caller's correlation id if it sent one, else a new one, remembered on the request. */
export function correlationIdOf(req: IncomingMessage & { correlationId?: string }): string {
  if (!req.correlationId) {
    const given = req.headers[HEADERS.correlationId];
    const value = Array.isArray(given) ? given[0] : given;
    req.correlationId = value && /^[\w.:@/-]{1,200}$/.test(value) ? value : randomUUID();
  }
  return req.correlationId;
}

export type { Logger };
