import type { WorkAbandoned } from '@workpipe/contracts';
import type { WorkerMessage } from '@workpipe/kafka';
import { positionKey, type DeadLetter } from '../selection/dead-letter';

/** A chunk of a dead-letter topic, split into dead letters and the positions of messages that are none. */
export function deadLettersOf(messages: readonly WorkerMessage[]): { deadLetters: DeadLetter[]; undecodable: string[] } {
  const deadLetters: DeadLetter[] = [];
  const undecodable: string[] = [];
  for (const message of messages) {
    const position = { topic: message.topic, partition: message.partition, offset: message.offset };
    if (message.poison !== undefined || message.value === undefined) undecodable.push(positionKey(position));
    else deadLetters.push({ position, value: message.value as WorkAbandoned.Value });
  }
  return { deadLetters, undecodable };
}
