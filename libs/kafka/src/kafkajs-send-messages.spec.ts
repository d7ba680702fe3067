// The function kafkajs' producer sends a batch with (`producer/sendMessages`), as patched by
// patches/kafkajs+2.2.4.patch (applied by `npm ci` through patch-package). The brokers here are
// stand-ins with the few methods the function calls: what is checked is which partitions each
// attempt sends, and with which sequence numbers; test/chaos/cluster-faults.test.ts is the real one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (deps: Record<string, unknown>) => (request: {
  acks: number;
  timeout?: number;
  topicMessages: { topic: string; messages: { key: string; value: string; partition: number }[] }[];
}) => Promise<{ topicName: string; partition: number }[]>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createRetry = require('kafkajs/src/retry') as (options: Record<string, unknown>) => unknown;

interface Sent {
  broker: number;
  partition: number;
  firstSequence: number;
  count: number;
}

interface FakeBroker {
  nodeId: number;
  produce(request: { topicData: { topic: string; partitions: { partition: number; firstSequence: number; messages: unknown[] }[] }[] }): Promise<unknown>;
}

const TOPIC = 'outcomes';
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** One topic of two partitions; `leaders` says which broker leads each partition, and can change between attempts. */
function harness(leaders: Map<number, number>, behaviour: (broker: number, partitions: number[], attempt: number) => Promise<void>) {
  const sent: Sent[] = [];
  const sequences = new Map<number, number>();
  const attempts = new Map<number, number>();
  const brokers = new Map<number, FakeBroker>();
  const brokerOf = (nodeId: number): FakeBroker => {
    let broker = brokers.get(nodeId);
    if (!broker) {
      broker = {
        nodeId,
        async produce({ topicData }) {
          const partitions = topicData.flatMap(({ partitions: entries }) => entries);
          const attempt = (attempts.get(nodeId) ?? 0) + 1;
          attempts.set(nodeId, attempt);
          for (const entry of partitions) sent.push({ broker: nodeId, partition: entry.partition, firstSequence: entry.firstSequence, count: entry.messages.length });
          await behaviour(nodeId, partitions.map((entry) => entry.partition), attempt);
          return { topics: [{ topicName: TOPIC, partitions: partitions.map((entry) => ({ partition: entry.partition, errorCode: 0, baseOffset: '0', logAppendTime: '-1' })) }] };
        },
      };
      brokers.set(nodeId, broker);
    }
    return broker;
  };
  const cluster = {
    targetTopics: new Set([TOPIC]),
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => undefined,
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    removeBroker: () => undefined,
    findTopicPartitionMetadata: () => [0, 1].map((partitionId) => ({ partitionId, leader: leaders.get(partitionId) })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const result: Record<number, number[]> = {};
      for (const partition of partitions.map(Number)) (result[leaders.get(partition) as number] ??= []).push(partition);
      return result;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => brokerOf(Number(nodeId)),
  };
  const eosManager = {
    isTransactional: () => false,
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    addPartitionsToTransaction: async () => undefined,
    getTransactionalId: () => undefined,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    getSequence: (_topic: string, partition: number) => sequences.get(partition) ?? 0,
    updateSequence: (_topic: string, partition: number, increment: number) => sequences.set(partition, (sequences.get(partition) ?? 0) + increment),
  };
  const send = createSendMessages({
    logger: silent,
    cluster,
    partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    eosManager,
    retrier: createRetry({ retries: 3, initialRetryTime: 10, maxRetryTime: 20 }),
  });
  return { sent, sequences, send };
}

const messages = [0, 0, 1, 1, 1].map((partition, n) => ({ key: `k${n}`, value: `v${n}`, partition }));

function connectionError(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true });
}

describe('kafkajs producer sendMessages (patched)', () => {
  it('sends a partition once while another broker fails: the retry waits for the request in flight and does not send it again', async () => {
    // Partition 0 on broker 1 answers slowly (acks=all waiting for a dead follower to be fenced);
    // partition 1 on broker 2 fails at once (the broker died) and moves to broker 3.
    const leaders = new Map([
      [0, 1],
      [1, 2],
    ]);
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const { sent, sequences, send } = harness(leaders, async (broker) => {
      if (broker === 1) return slow;
      if (broker === 2) {
        leaders.set(1, 3);
        setTimeout(releaseSlow, 50);
        throw connectionError();
      }
    });
    const responses = await send({ acks: -1, topicMessages: [{ topic: TOPIC, messages }] });
    expect(sent).toEqual([
      { broker: 1, partition: 0, firstSequence: 0, count: 2 },
      { broker: 2, partition: 1, firstSequence: 0, count: 3 },
      // Only the failed partition again, to its new leader, with the same sequence (the broker dedups it).
      { broker: 3, partition: 1, firstSequence: 0, count: 3 },
    ]);
    expect(sequences).toEqual(new Map([[0, 2], [1, 3]]));
    expect(responses.map(({ partition }) => partition).sort()).toEqual([0, 1]);
  });

  it('sends a partition whose leadership moved to a broker that had already answered', async () => {
    const leaders = new Map([
      [0, 1],
      [1, 2],
    ]);
    const { sent, send } = harness(leaders, async (broker) => {
      if (broker === 2) {
        leaders.set(1, 1);
        throw connectionError();
      }
    });
    await send({ acks: -1, topicMessages: [{ topic: TOPIC, messages }] });
    expect(sent).toEqual([
      { broker: 1, partition: 0, firstSequence: 0, count: 2 },
      { broker: 2, partition: 1, firstSequence: 0, count: 3 },
      { broker: 1, partition: 1, firstSequence: 0, count: 3 },
    ]);
  });
});
