/** DI tokens for the shared clients; typed wrappers live in `inject.decorators.ts`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
export const KAFKA = Symbol('KAFKA');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const REDIS = Symbol('REDIS');
export const TOPIC_SPECS = Symbol('TOPIC_SPECS');
