import type { Admin } from 'kafkajs';
import { HEADERS, retryTopicName, TOPICS, topicName, WorkItem } from '@workpipe/contracts';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { RETRIER } from '../../apps/retrier/src/retrier.service-definition';
import { PipelineHarness } from '../support/pipeline-harness';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

const logger = createLogger({ service: 'test', level: 'silent' });
const SESSION_TIMEOUT_MS = 6_000;
/** The retry waits 2.5 session timeouts in its tier: a consumer that stopped heartbeating meanwhile would be evicted. */
const HOLD_MS = 15_000;

async function delayMembers(admin: Admin, groupId: string): Promise<{ state: string; members: string[] }> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  return { state: group?.state ?? 'unknown', members: (group?.members ?? []).map((member) => member.memberId).sort() };
}

/**
 * A delayed retry waits in the tier consumer's window (a timer), not in a blocked fetch: fetching
 * and the group's heartbeats go on, so a hold longer than the session timeout costs no rebalance,
 * and the retry fires at its due time, not before.
 */
describe('a retry held in its delay tier longer than the session timeout', () => {
  const env = new TestEnv('delayhold');
  const harness = new PipelineHarness(env);
  const overrides = { DELAY_TIERS: '1s,30s', KEY_CIRCUIT_FAILURES: '0', CONSUMER_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) };
  const config = env.config('retrier', overrides);
  const serde = new RegistrySerde(config.schemaRegistry);
  const admin = env.kafka().admin();

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    await harness.close();
    await admin.disconnect();
    await env.cleanup();
  });

  it('fires at its due time with the same group member: no rebalance while it waited', async () => {
    await harness.start(RETRIER, overrides);
    const groupId = `${env.topicPrefix}retrier.delay`;
    await waitFor(async () => (await delayMembers(admin, groupId)).state === 'Stable', { timeoutMs: 30_000, description: 'the delay group stable' });
    const before = await delayMembers(admin, groupId);
    expect(before.members).toHaveLength(1);

    const work = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.work), WorkItem, `${env.id}-w`).start();
    const publisher = new EventPublisher(env.kafka(), serde, logger);
    await publisher.connect();
    try {
      const dueAt = Date.now() + HOLD_MS;
      const item = { itemId: 'held-1', key: 'k-held', type: 'report', payload: {}, attempt: 2, createdAt: new Date().toISOString(), correlationId: 'held-1', history: [] };
      await publisher.publish(retryTopicName(env.topicPrefix, 30_000), WorkItem, [{ key: item.key, value: item, headers: { [HEADERS.dueAt]: dueAt } }]);

      await waitFor(() => work.events.some((event) => event.value.itemId === 'held-1'), { timeoutMs: HOLD_MS + 60_000, description: 'the retry fired to the work topic' });
      const fired = work.events.find((event) => event.value.itemId === 'held-1');
      expect(fired?.timestamp).toBeGreaterThanOrEqual(dueAt);
      expect(fired?.headers[HEADERS.dueAt]).toBe(String(dueAt));

      // The same member all along: the group never dropped the consumer for missed heartbeats.
      expect(await delayMembers(admin, groupId)).toEqual({ state: 'Stable', members: before.members });
      expect(work.events.filter((event) => event.value.itemId === 'held-1')).toHaveLength(1);
    } finally {
      await Promise.allSettled([publisher.disconnect(), work.stop()]);
    }
  }, 120_000);
});
