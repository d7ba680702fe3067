import type { KafkaMessage } from 'kafkajs';
import { WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { PayloadValidationError, type RegistrySerde } from '@workpipe/kafka';
import { factFromAbandoned, factFromFailed, factFromSucceeded, factFromWorkItem, type ItemFact } from '@workpipe/stats-model';

/** The four topics stats reads, by role. */
export type StatsTopicRole = 'work' | 'succeeded' | 'failed' | 'abandoned';

export type DecodedFact = { fact: ItemFact } | { fact: null; reason: string };

/**
 * Turns a message of one of the four topics into its fact. A message that is
 * not a valid event of its topic (poison) gives `fact: null` and a reason: it
 * cannot be counted, and it stays in Kafka. A registry that cannot be reached
 * throws (retryable): the batch is retried, nothing is skipped.
 */
export class OutcomeEventDecoder {
  constructor(private readonly serde: RegistrySerde) {}

  async decode(role: StatsTopicRole, message: KafkaMessage): Promise<DecodedFact> {
    if (!message.value) return { fact: null, reason: 'empty value (tombstone)' };
    try {
      switch (role) {
        case 'work':
          return { fact: factFromWorkItem(await this.serde.decode(message.value, WorkItem), Number(message.timestamp)) };
        case 'succeeded':
          return { fact: factFromSucceeded(await this.serde.decode(message.value, WorkSucceeded)) };
        case 'failed':
          return { fact: factFromFailed(await this.serde.decode(message.value, WorkFailed)) };
        case 'abandoned':
          return { fact: factFromAbandoned(await this.serde.decode(message.value, WorkAbandoned)) };
      }
    } catch (error) {
      if (error instanceof PayloadValidationError) return { fact: null, reason: error.message };
      throw error;
    }
  }
}
