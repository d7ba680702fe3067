export * from './redis-client.factory';
export * from './redis-keys';
export * from './idempotency-store';
