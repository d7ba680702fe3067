export * from './redis-client.factory';
export * from './redis-keys';
