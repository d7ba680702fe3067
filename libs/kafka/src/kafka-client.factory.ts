import { Kafka, logLevel, type KafkaConfig, type LogEntry, type logCreator, type SASLOptions } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import type { Logger } from '@workpipe/logging';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Routes kafkajs' own logs into pino, tagged `component: kafkajs`. kafkajs logs
 * every error code a broker answers (`Response Metadata(...)`) at ERROR, even
 * the ones it retries or hands to its caller (a topic still being created, a
 * rebalance): those go to debug, since the caller decides and logs what matters.
 */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // Our producers bound their retries on purpose and are replaced after a failed request.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const name = level === logLevel.ERROR && message.startsWith('Response ') ? 'debug' : (LEVEL_NAMES[level] ?? 'info');
      child[name](extra, message);
    };
}

/**
 * The kafkajs options of a service's client, from its configuration: TLS (`KAFKA_SSL`, with the
 * system's CAs plus `NODE_EXTRA_CA_CERTS`) and SASL (`KAFKA_SASL_*`) as given, kafkajs' logs into pino.
 */
export function kafkaClientOptions(config: AppConfig['kafka'], logger: Logger): KafkaConfig {
  const options: KafkaConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 8 },
  };
  if (config.sasl) {
    // kafkajs types SASL as a union keyed by mechanism; ours is one of its members.
    options.sasl = { ...config.sasl } as SASLOptions;
  }
  return options;
}

/** One kafkajs client per service; producers, consumers and admins are made from it. */
export function createKafka(config: AppConfig['kafka'], logger: Logger): Kafka {
  return new Kafka(kafkaClientOptions(config, logger));
}
