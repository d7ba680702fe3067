import type { ConsumerSpec } from '@workpipe/kafka';

/**
 * DI token of the consumers a service runs: `ConsumerSpec[]`, each served by
 * the `@EventPattern(spec.name)` handler of a controller of the service.
 */
export const CONSUMER_SPECS = Symbol('CONSUMER_SPECS');
export type ConsumerSpecs = ConsumerSpec[];
