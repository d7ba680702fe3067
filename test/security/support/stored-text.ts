import type { TestEnv } from '../../support/test-env';

export interface StoredText {
  /** Where it is: a topic record or a Redis key. */
  topic?: string;
  partition?: number;
  offset?: string;
  key?: string;
  /** Everything of it as text (latin1 for bytes): key, value, headers; or a key's name and values. */
  text: string;
}

const IDLE_MS = 3_000;
const MAX_MS = 60_000;

/**
 * Every record of every topic of the test, as written (read_uncommitted: aborted transactions
 * included), with its key, value and headers as text.
 */
export async function everyTopicRecord(env: TestEnv): Promise<StoredText[]> {
  const kafka = env.kafka();
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(env.topicPrefix));
  const remaining = new Map<string, number>();
  for (const topic of topics) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (Number(high) > Number(low)) remaining.set(`${topic}:${partition}`, Number(high) - 1);
    }
  }
  await admin.disconnect();
  const records: StoredText[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `${env.id}-every-record`, readUncommitted: true });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let lastSeen = Date.now();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      lastSeen = Date.now();
      const headers = Object.entries(message.headers ?? {}).map(([name, value]) => `${name}=${Buffer.isBuffer(value) ? value.toString('latin1') : String(value)}`);
      records.push({ topic, partition, offset: message.offset, text: [message.key?.toString('latin1') ?? '', message.value?.toString('latin1') ?? '', ...headers].join('\n') });
      const position = `${topic}:${partition}`;
      if (Number(message.offset) >= (remaining.get(position) ?? Infinity)) remaining.delete(position);
    },
  });
  const started = Date.now();
  // Transaction markers take offsets no message has: a partition ending in one is done when nothing more comes.
  while (remaining.size > 0 && Date.now() - started < MAX_MS && Date.now() - lastSeen < IDLE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await consumer.disconnect();
  if (records.length === 0) throw new Error(`no record read from ${topics.join(', ')}`);
  return records;
}

/** Every key of the Redis database with its values as text, whatever its type. */
export async function everyRedisValue(env: TestEnv): Promise<StoredText[]> {
  const redis = env.redis();
  const entries: StoredText[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scanBuffer(cursor, 'COUNT', 1_000);
      cursor = next.toString();
      for (const raw of keys) {
        const key = raw.toString('latin1');
        const type = await redis.type(raw);
        let values: Buffer[] = [];
        if (type === 'string') values = [(await redis.getBuffer(raw)) ?? Buffer.alloc(0)];
        else if (type === 'hash') values = await redis.hgetallBuffer(raw).then((hash) => Object.entries(hash).flatMap(([field, value]) => [Buffer.from(field, 'latin1'), value]));
        else if (type === 'list') values = await redis.lrangeBuffer(raw, 0, -1);
        else if (type === 'set') values = await redis.smembersBuffer(raw);
        else if (type === 'zset') values = await redis.zrangeBuffer(raw, 0, -1);
        else if (type === 'stream') values = (await redis.xrangeBuffer(raw, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
        entries.push({ key, text: [key, ...values.map((value) => value.toString('latin1'))].join('\n') });
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return entries;
}
