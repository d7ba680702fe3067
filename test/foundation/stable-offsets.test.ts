import { randomBytes } from 'node:crypto';
import { TestEnv } from '../support/test-env';

/**
 * Committed offsets read while a transaction that commits them is still open or being resolved.
 * A plain OffsetFetch answers the offset before that transaction; with require_stable (OffsetFetch
 * v7, KIP-447, added to kafkajs by workpipe's patch) the broker says UNSTABLE_OFFSET_COMMIT until
 * it is resolved, and the read is tried again. The partition worker reads its resume positions and
 * the outcome of a failed commit this way: a stale answer would make it redo a committed
 * transaction's work (two outcomes for one attempt).
 */
describe('committed offsets read with requireStable (kafkajs patch, OffsetFetch v7)', () => {
  const env = new TestEnv('stable-offsets');
  const kafka = env.kafka();
  const admin = kafka.admin();
  const topic = `${env.topicPrefix}offsets`;
  const groupId = `${env.topicPrefix}group`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.disconnect();
    await env.cleanup();
  });

  it('waits out an open transaction that commits offsets, where a plain read answers the old offset', async () => {
    const producer = kafka.producer({ transactionalId: `${env.id}-${randomBytes(3).toString('hex')}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ value: 'a' }] });
      await transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }] });

      // Open transaction: a plain read answers "nothing committed"...
      const [plain] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(plain?.partitions).toEqual([{ partition: 0, offset: '-1', metadata: null }]);

      // ...a stable read waits until the transaction is resolved, then answers its offset.
      let answered = false;
      const stable = admin.fetchOffsets({ groupId, topics: [topic], requireStable: true }).finally(() => (answered = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      await transaction.commit();
      const [read] = await stable;
      expect(read?.partitions).toEqual([{ partition: 0, offset: '5', metadata: null }]);
    } finally {
      await producer.disconnect();
    }
  }, 60_000);

  it('answers at once when nothing is pending, the same as a plain read', async () => {
    const [plain] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const [stable] = await admin.fetchOffsets({ groupId, topics: [topic], requireStable: true });
    expect(stable).toEqual(plain);
  });
});
