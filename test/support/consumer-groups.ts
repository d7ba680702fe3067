import { randomBytes } from 'node:crypto';
import { AssignerProtocol, type Admin, type InstrumentationEvent, type Kafka } from 'kafkajs';
import { waitFor } from './wait-for';

/** What a `read_committed` reader finds in one topic, read to its end. */
export interface TopicEnd {
  /** Records a `read_committed` reader sees. */
  records: number;
  /**
   * Per partition holding records: the offset after its last record, which is what a consumer
   * that handled all of them commits. It can be below the high watermark: a transaction's
   * commit marker takes an offset after its records, and is never a message.
   */
  ends: Map<number, bigint>;
  /** Per partition: the high watermark when the read started. */
  highs: Map<number, string>;
}

/**
 * Reads topics from the start to their current ends with one `read_committed` consumer (a
 * fresh group, deleted afterwards), and tells for each what it holds. The end is followed
 * through kafkajs's report of every fetched batch, control-only batches included (as
 * `countRecords` does), so a partition ending in a transaction marker is read to the end too.
 */
export async function readTopicEnds(kafka: Kafka, topics: readonly string[], timeoutMs = 30_000): Promise<Map<string, TopicEnd>> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `topic-ends-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  const result = new Map<string, TopicEnd>();
  try {
    const targets = new Map<string, bigint>();
    for (const topic of topics) {
      const highs = new Map<number, string>();
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        highs.set(partition, high);
        if (BigInt(high) > BigInt(low)) targets.set(`${topic}:${partition}`, BigInt(high) - 1n);
      }
      result.set(topic, { records: 0, ends: new Map(), highs });
    }
    if (targets.size === 0) return result;
    const reached = new Map<string, bigint>();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }: InstrumentationEvent<{ topic: string; partition: number; lastOffset: string }>) => {
      const position = `${payload.topic}:${payload.partition}`;
      const last = BigInt(payload.lastOffset);
      if (last > (reached.get(position) ?? -1n)) reached.set(position, last);
    });
    const seen = new Set<string>();
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const position = `${topic}:${partition}:${message.offset}`;
        if (seen.has(position)) return; // read again after a rebalance of this reader's own group
        seen.add(position);
        const end = result.get(topic) as TopicEnd;
        end.records++;
        const next = BigInt(message.offset) + 1n;
        if (next > (end.ends.get(partition) ?? -1n)) end.ends.set(partition, next);
      },
    });
    await waitFor(() => [...targets].every(([position, target]) => (reached.get(position) ?? -1n) >= target), {
      timeoutMs,
      description: `reading ${topics.join(', ')} to the end`,
    });
    return result;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** A group's committed offset per partition of a topic (-1 where it never committed). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((entry) => [entry.partition, BigInt(entry.offset)]));
}

/** A consumer group and the topics it consumes. */
export interface GroupTopics {
  groupId: string;
  topics: readonly string[];
}

export interface AtRestOptions {
  /** Give up after this long, in milliseconds; default 60000. */
  timeoutMs?: number;
  /** Shown in the timeout error. */
  description?: string;
}

/**
 * Waits until every group has committed past the last record of every partition of its topics,
 * with no topic growing meanwhile: the point after which groups that commit their outputs with
 * their offsets (or before them) produce nothing more. This is the positive signal that replaces
 * "sleep a while and see that nothing else came": nothing else *can* come from these groups.
 * Returns what the topics held then, so a test can wait for its own readers to have read exactly
 * that much.
 */
export async function waitForGroupsAtEnd(kafka: Kafka, groups: readonly GroupTopics[], options: AtRestOptions = {}): Promise<Map<string, TopicEnd>> {
  const { timeoutMs = 60_000, description = groups.map((group) => `${group.groupId} at the end of ${group.topics.join(', ')}`).join('; ') } = options;
  const deadline = Date.now() + timeoutMs;
  const topics = [...new Set(groups.flatMap((group) => group.topics))];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const highs = async (): Promise<string> => {
      const all: string[] = [];
      for (const topic of topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) all.push(`${topic}:${partition}:${high}`);
      }
      return all.sort().join(',');
    };
    for (;;) {
      const before = await highs();
      const ends = await readTopicEnds(kafka, topics, Math.max(1_000, deadline - Date.now()));
      await waitFor(
        async () => {
          for (const group of groups) {
            for (const topic of group.topics) {
              const committed = await committedOffsets(admin, group.groupId, topic);
              for (const [partition, end] of (ends.get(topic) as TopicEnd).ends) {
                if ((committed.get(partition) ?? -1n) < end) return false;
              }
            }
          }
          return true;
        },
        { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100, description },
      );
      // Nothing was written while the ends were read and reached: at rest.
      if ((await highs()) === before) return ends;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}: the topics kept growing`);
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Partitions of `topic` held by each member of a consumer group, each list sorted, members
 * ordered by their first partition (members holding none last).
 */
export async function groupAssignment(kafka: Kafka, groupId: string, topic: string): Promise<number[][]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? [])
      .map((member) => {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        return [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
      })
      .sort((a, b) => (a[0] ?? Infinity) - (b[0] ?? Infinity));
  } finally {
    await admin.disconnect();
  }
}

/** Waits until `members` members of the group each hold at least one partition of `topic`; returns the assignment. */
export function waitForMembersWithPartitions(kafka: Kafka, groupId: string, topic: string, members: number, timeoutMs = 60_000): Promise<number[][]> {
  return waitFor(
    async () => {
      const assignment = await groupAssignment(kafka, groupId, topic);
      return assignment.length === members && assignment.every((partitions) => partitions.length > 0) && assignment;
    },
    { timeoutMs, description: `${members} members of ${groupId} each holding partitions of ${topic}` },
  );
}
