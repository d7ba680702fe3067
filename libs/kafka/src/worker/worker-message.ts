import type { KafkaMessage } from 'kafkajs';

/** Where a message was read: topic, partition, offset. */
export interface MessagePosition {
  topic: string;
  partition: number;
  offset: string;
}

/** A consumed message as a handler sees it: decoded by its topic's contract, with its position and headers. */
export interface WorkerMessage<T = unknown> extends MessagePosition {
  /** The message key as text ('' for none). */
  key: string;
  /** Headers as strings. */
  headers: Record<string, string>;
  /** Broker or producer timestamp, epoch milliseconds. */
  timestamp: number;
  /** The value decoded and checked by the topic's contract (the raw bytes for a topic without one). */
  value: T;
  /** Why the value does not decode, for a topic subscribed with `poison: 'deliver'` (then `value` is undefined). */
  poison?: string;
  /** The message as kafkajs delivered it (its bytes, for a rejection). */
  raw: KafkaMessage;
}
