import { Partitioners, type Kafka } from 'kafkajs';
import { WorkAbandoned } from '@workpipe/contracts';
import type { RegistrySerde } from '@workpipe/kafka';

/** Dead letters per produce request: about 1.4 MB, under 0.5 MB per partition batch. */
const PER_REQUEST = 2000;

/** The dead letter of item `n` of a flood: one API_ERROR attempt, abandoned MAX_ATTEMPTS. */
export function floodDeadLetter(n: number, batchId: string, at: number): WorkAbandoned.Value {
  const failure = { type: 'API_ERROR', message: 'HTTP 500 from the downstream', retryable: true };
  const itemId = `${batchId}-item-${n}`;
  return {
    item: {
      itemId,
      key: `${batchId}-key-${n % 997}`,
      type: 'portfolio-report',
      batchId,
      payload: { portfolioId: `PF-${n}`, date: '2026-11-20' },
      attempt: 1,
      createdAt: new Date(at - 60_000).toISOString(),
      correlationId: `corr-${n}`,
      history: [{ attempt: 1, failure, failedAt: new Date(at - 1_000).toISOString(), source: { topic: 'work', partition: 0, offset: String(n) }, durationMs: 3 }],
    },
    reason: 'MAX_ATTEMPTS',
    detail: 'API_ERROR allows 1 attempt',
    lastFailure: failure,
    abandonedAt: new Date(at).toISOString(),
  };
}

/**
 * Writes `count` dead letters straight to the abandoned topic, keyed by item
 * key, in requests of {@link PER_REQUEST}: the registry's wire header of the
 * first encoded value is reused for the others (same schema), so making them
 * costs a JSON.stringify each.
 */
export async function floodDeadLetters(kafka: Kafka, serde: RegistrySerde, topic: string, count: number, batchId: string): Promise<void> {
  const at = Date.now();
  const header = (await serde.encode(topic, WorkAbandoned, floodDeadLetter(0, batchId, at))).subarray(0, 5);
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = 0; start < count; start += PER_REQUEST) {
      const messages = [];
      for (let n = start; n < Math.min(count, start + PER_REQUEST); n++) {
        const value = floodDeadLetter(n, batchId, at);
        messages.push({ key: value.item.key, value: Buffer.concat([header, Buffer.from(JSON.stringify(value))]) });
      }
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
