import { WorkAbandoned } from '@workpipe/contracts';
import { PayloadValidationError, type RegistrySerde } from '@workpipe/kafka';
import type { DeadLetter } from './dead-letter';
import { positionKey } from './dead-letter';
import type { PartitionRange } from './offset-range';
import type { ReplayClients } from './replay-clients';
import { TopicRangeReader } from './topic-range-reader';

/** Dead letters of the ranges, decoded; the positions of those that are no `WorkAbandoned` apart. */
export interface ReadDeadLetters {
  deadLetters: DeadLetter[];
  undecodable: string[];
}

/** A range reader whose throwaway groups are named `<prefix>cli-replay-<random>`. */
export function rangeReader(clients: ReplayClients, random: () => number): TopicRangeReader {
  return new TopicRangeReader(clients.kafka, clients.admin, `${clients.config.kafka.topicPrefix}cli-replay-`, random);
}

/**
 * Reads and decodes the dead letters of the ranges. A message that is not a
 * valid `WorkAbandoned` is listed as undecodable and left alone; a registry
 * that cannot be reached stops the read (SchemaRegistryError).
 */
export async function readDeadLetters(
  reader: TopicRangeReader,
  serde: RegistrySerde,
  topic: string,
  ranges: readonly PartitionRange[],
): Promise<ReadDeadLetters> {
  const deadLetters: DeadLetter[] = [];
  const undecodable: string[] = [];
  await reader.read(
    ranges.map((range) => ({ ...range, topic })),
    async (message) => {
      const position = { topic, partition: message.partition, offset: message.offset };
      try {
        if (!message.value) throw new PayloadValidationError(WorkAbandoned.EVENT_TYPE, ['empty value (tombstone)']);
        deadLetters.push({ position, value: await serde.decode(message.value, WorkAbandoned) });
      } catch (error) {
        if (!(error instanceof PayloadValidationError)) throw error;
        undecodable.push(positionKey(position));
      }
    },
  );
  return { deadLetters, undecodable };
}
