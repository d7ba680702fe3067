import type { z } from 'zod';
import type { OutgoingEvent } from '../produce/outgoing-event';
import type { EventContract } from '../schema-registry/event-contract';

/**
 * An event a handler wants produced because of the message it handled. The
 * worker encodes it when the handler returns and commits it together with the
 * message's offset: in one Kafka transaction for a transactional consumer, so
 * a crash shows either both or neither.
 */
export interface Output<S extends z.ZodType = z.ZodType> {
  topic: string;
  contract: EventContract<S>;
  event: OutgoingEvent<S>;
}

/** Shorthand for an {@link Output} with its contract's types checked. */
export function output<S extends z.ZodType>(topic: string, contract: EventContract<S>, event: OutgoingEvent<S>): Output {
  return { topic, contract, event } as unknown as Output;
}
