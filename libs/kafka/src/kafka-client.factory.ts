import { Kafka, logLevel, type KafkaConfig, type LogEntry, type logCreator, type SASLOptions } from 'kafkajs';
import type { AppConfig } from '@workpipe/config';
import type { Logger } from '@workpipe/logging';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs' own logs into pino, tagged `component: kafkajs`. */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      child[LEVEL_NAMES[level] ?? 'info'](extra, message);
    };
}

/** One kafkajs client per service; producers, consumers and admins are made from it. */
export function createKafka(config: AppConfig['kafka'], logger: Logger): Kafka {
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
  return new Kafka(options);
}
