import type { EncodedRecord } from './encoded-record';

/** A kafkajs message, as `sendBatch` takes it. */
export interface KafkajsMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** Records grouped by topic, in order, as kafkajs' `sendBatch` takes them. */
export function topicMessagesOf(records: readonly EncodedRecord[]): { topic: string; messages: KafkajsMessage[] }[] {
  const byTopic = new Map<string, KafkajsMessage[]>();
  for (const record of records) {
    let messages = byTopic.get(record.topic);
    if (!messages) byTopic.set(record.topic, (messages = []));
    messages.push({ key: record.key, value: record.value, headers: record.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
