import type { z } from 'zod';
import { HEADERS } from '@workpipe/contracts';
import { PayloadValidationError } from '../errors/payload-validation-error';
import { RecordTooLargeError } from '../errors/record-too-large-error';
import { buildHeaders } from '../kafka-headers';
import type { EventContract } from '../schema-registry/event-contract';
import type { RegistrySerde } from '../schema-registry/registry-serde';
import type { EncodedRecord } from './encoded-record';
import type { OutgoingEvent } from './outgoing-event';
import { recordBytes } from './record-size';
import type { TopicLimits } from './topic-limits';

/** One event's encoding: the record, or why it cannot be produced (never retryable). */
export type EncodingOutcome =
  | { ok: true; record: EncodedRecord }
  | { ok: false; error: RecordTooLargeError | PayloadValidationError };

/**
 * Turns events into records every producer of the project sends: checked by
 * their contract, encoded in the registry's wire format, headers built, and
 * measured against the topic's `max.message.bytes`, so that no request ever
 * carries a record the broker must refuse (which would fail the whole request,
 * the partitions it did write included).
 */
export class RecordEncoder {
  constructor(
    private readonly serde: RegistrySerde,
    private readonly limits: TopicLimits,
  ) {}

  /** Every event's record; throws the first event's error that cannot be produced. */
  async encode<S extends z.ZodType>(topic: string, contract: EventContract<S>, events: readonly OutgoingEvent<S>[]): Promise<EncodedRecord[]> {
    const outcomes = await this.encodeEach(topic, contract, events);
    return outcomes.map((outcome) => {
      if (!outcome.ok) throw outcome.error;
      return outcome.record;
    });
  }

  /**
   * Each event's record or its own error: a contract violation, a value that
   * cannot be serialised, or a record over the topic's limit. Registry outages
   * throw (retryable): they say nothing about the event.
   */
  async encodeEach<S extends z.ZodType>(
    topic: string,
    contract: EventContract<S>,
    events: readonly OutgoingEvent<S>[],
  ): Promise<EncodingOutcome[]> {
    if (events.length === 0) return [];
    const maxRecordBytes = await this.limits.maxRecordBytes(topic);
    return Promise.all(
      events.map(async (event, index): Promise<EncodingOutcome> => {
        let value: Buffer;
        try {
          value = await this.serde.encode(topic, contract, event.value);
        } catch (error) {
          if (error instanceof PayloadValidationError) return { ok: false, error };
          if (error instanceof TypeError || error instanceof RangeError) {
            // JSON.stringify of a cycle, a BigInt, or a structure too deep for the stack.
            return { ok: false, error: new PayloadValidationError(contract.EVENT_TYPE, [`cannot be serialised: ${error.message}`]) };
          }
          throw error;
        }
        const headers = buildHeaders({ [HEADERS.eventType]: contract.EVENT_TYPE, ...event.headers });
        const bytes = recordBytes(Buffer.from(event.key), value, headers);
        if (bytes > maxRecordBytes) return { ok: false, error: new RecordTooLargeError(topic, bytes, maxRecordBytes, index) };
        return { ok: true, record: { topic, key: event.key, value, headers, bytes } };
      }),
    );
  }
}
