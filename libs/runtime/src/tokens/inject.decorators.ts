import { Inject } from '@nestjs/common';
import { APP_CONFIG, KAFKA, KAFKA_ADMIN, REDIS, ROOT_LOGGER } from './injection-tokens';

export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);
export const InjectRootLogger = (): ParameterDecorator => Inject(ROOT_LOGGER);
export const InjectKafka = (): ParameterDecorator => Inject(KAFKA);
export const InjectKafkaAdmin = (): ParameterDecorator => Inject(KAFKA_ADMIN);
export const InjectRedis = (): ParameterDecorator => Inject(REDIS);
