import type { KafkaMessage } from 'kafkajs';
import { HEADERS, IngestRejected } from '@workpipe/contracts';
import { PayloadValidationError } from '../errors/payload-validation-error';
import { ingestRejectedEvent } from '../ingest-rejection';
import { readHeaders } from '../kafka-headers';
import type { RegistrySerde } from '../schema-registry/registry-serde';
import type { TopicSubscription } from './consumer-spec';
import { output, type Output } from './output';
import type { WorkerMessage } from './worker-message';

/** A message decoded for its handler, or the reason it is poison (set aside, never handled). */
export type DecodeOutcome = { ok: true; message: WorkerMessage } | { ok: false; reason: string; headers: Record<string, string> };

/**
 * Decodes consumed messages by their topic's contract. The one poison rule of
 * every consumer: a tombstone, or a value that is not in the wire format, has
 * an unknown schema or does not match the contract, is poison. A registry that
 * cannot be reached throws (retryable): the message is fine and waits.
 */
export class MessageDecoder {
  private readonly subscriptions: Map<string, TopicSubscription>;

  constructor(
    private readonly serde: Pick<RegistrySerde, 'decode'>,
    subscriptions: readonly TopicSubscription[],
  ) {
    this.subscriptions = new Map(subscriptions.map((subscription) => [subscription.topic, subscription]));
  }

  async decode(topic: string, partition: number, raw: KafkaMessage): Promise<DecodeOutcome> {
    const headers = readHeaders(raw.headers);
    const subscription = this.subscriptions.get(topic);
    const contract = subscription?.contract;
    let value: unknown = raw.value;
    let poison: string | undefined;
    if (contract) {
      if (!raw.value) {
        poison = `${contract.EVENT_TYPE} expected, got a tombstone (no value)`;
      } else {
        try {
          value = await this.serde.decode(raw.value, contract);
        } catch (error) {
          if (!(error instanceof PayloadValidationError)) throw error;
          poison = error.message;
        }
      }
    }
    if (poison !== undefined && subscription?.poison !== 'deliver') return { ok: false, reason: poison, headers };
    const message: WorkerMessage = {
      topic,
      partition,
      offset: raw.offset,
      key: raw.key?.toString() ?? '',
      headers,
      timestamp: Number(raw.timestamp),
      value: poison === undefined ? value : undefined,
      raw,
    };
    if (poison !== undefined) message.poison = poison;
    return { ok: true, message };
  }
}

/** The `IngestRejected` output that sets a message aside with its bytes, position and the reason. */
export function rejectionOutput(
  rejectedTopic: string,
  topic: string,
  partition: number,
  raw: KafkaMessage,
  headers: Record<string, string>,
  reason: string,
  now: Date = new Date(),
): Output {
  const event = ingestRejectedEvent(
    {
      topic,
      partition,
      message: raw,
      headers,
      reason,
      correlationId: headers[HEADERS.correlationId] ?? `${topic}:${partition}:${raw.offset}`,
      itemId: headers[HEADERS.itemId],
    },
    now,
  );
  return output(rejectedTopic, IngestRejected, event);
}
