import { Partitioners, type Kafka } from 'kafkajs';

export interface RoundTripOptions {
  /** Scratch topic to create, use and leave for the cleanup. */
  topic: string;
  partitions: number;
  /** Messages in all, published as `bursts` produce calls `burstGapMs` apart (the shape of the measured run). */
  count: number;
  bursts: number;
  burstGapMs: number;
  /** A representative value (a registry-encoded WorkItem). */
  value: Buffer;
  timeoutMs: number;
}

/**
 * The floor under any retry lateness on this broker: a plain produce ->
 * consume round trip, with the producer and consumer settings the retrier's
 * delay-tier consumer uses (idempotent producer, acks from all replicas;
 * eachBatch, 50 ms max wait, 8 partitions at once). Latency of a message is
 * the consumer's clock on receipt minus the message's CreateTime (the
 * producer's clock at send; one machine, one clock). Returns the latencies
 * in milliseconds.
 */
export async function measureRoundTrip(kafka: Kafka, options: RoundTripOptions): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: options.topic, numPartitions: options.partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }

  const latencies: number[] = [];
  const consumer = kafka.consumer({
    groupId: `${options.topic}.reader`,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 256 * 1024,
    maxWaitTimeInMs: 50,
  });
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await Promise.all([consumer.connect(), producer.connect()]);
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: Math.min(8, options.partitions),
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) latencies.push(now - Number(message.timestamp));
      },
    });
    await joined;
    // One warm-up message (metadata, first fetch sessions) that is not counted.
    await producer.send({ topic: options.topic, acks: -1, messages: [{ key: 'warm-up', value: options.value }] });
    const deadline = Date.now() + options.timeoutMs;
    while (latencies.length < 1 && Date.now() < deadline) await sleep(20);
    latencies.length = 0;

    const perBurst = Math.ceil(options.count / options.bursts);
    for (let burst = 0, sent = 0; sent < options.count; burst++) {
      const size = Math.min(perBurst, options.count - sent);
      const messages = Array.from({ length: size }, (_, i) => ({ key: `key-${burst % 3}-${i % 40}`, value: options.value }));
      await producer.send({ topic: options.topic, acks: -1, messages });
      sent += size;
      if (sent < options.count) await sleep(options.burstGapMs);
    }
    while (latencies.length < options.count && Date.now() < deadline) await sleep(20);
    return latencies.slice();
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
