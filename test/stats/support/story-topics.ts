import type { Admin, Kafka } from 'kafkajs';
import { TOPICS, topicName, WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { EventPublisher, pipelineTopics, RegistrySerde, TopicProvisioner, type EventContract } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import type { StoryEvent } from '../../../libs/stats-model/src/testing/item-story';
import type { TestEnv } from '../../support/test-env';

type Role = StoryEvent['topic'];

const CONTRACTS: Record<Role, EventContract> = {
  work: WorkItem,
  succeeded: WorkSucceeded,
  failed: WorkFailed,
  abandoned: WorkAbandoned,
};

function keyOf(event: StoryEvent): string {
  switch (event.topic) {
    case 'work':
      return event.value.key;
    case 'succeeded':
      return event.value.key;
    default:
      return event.value.item.key;
  }
}

/** Publishes story events to the pipeline topics, as the services would: contract-checked, registry-encoded, keyed by entity. */
export class StoryPublisher {
  private readonly publisher: EventPublisher;

  constructor(
    kafka: Kafka,
    serde: RegistrySerde,
    private readonly prefix: string,
  ) {
    this.publisher = new EventPublisher(kafka, serde, createLogger({ service: 'test', level: 'warn' }));
  }

  connect(): Promise<void> {
    return this.publisher.connect();
  }

  disconnect(): Promise<void> {
    return this.publisher.disconnect();
  }

  /** Each topic's events in the given order (per-partition order kept), one send per topic and chunk. */
  async publish(events: readonly StoryEvent[]): Promise<void> {
    for (const role of ['work', 'failed', 'succeeded', 'abandoned'] as const) {
      const ofRole = events.filter((event) => event.topic === role);
      for (let i = 0; i < ofRole.length; i += 500) {
        await this.publisher.publish(
          topicName(this.prefix, TOPICS[role]),
          CONTRACTS[role],
          ofRole.slice(i, i + 500).map((event) => ({ key: keyOf(event), value: event.value })),
        );
      }
    }
  }
}

/** The topics stats reads (and the alerts topic) made for one test's prefix, with a publisher of stories to them. */
export class StoryTopics {
  private constructor(
    private readonly admin: Admin,
    readonly publisher: StoryPublisher,
  ) {}

  static async open(env: TestEnv): Promise<StoryTopics> {
    const admin = env.kafka().admin();
    await admin.connect();
    const config = env.config('stats');
    await new TopicProvisioner(admin, createLogger({ service: 'test', level: 'warn' })).ensure(
      pipelineTopics(config.kafka, ['work', 'succeeded', 'failed', 'abandoned', 'alerts']),
    );
    const publisher = new StoryPublisher(env.kafka(), new RegistrySerde(config.schemaRegistry), env.topicPrefix);
    await publisher.connect();
    return new StoryTopics(admin, publisher);
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
    await this.admin.disconnect();
  }
}

/**
 * Reads the four topics from the beginning until `count` events are in, each
 * with its Kafka timestamp: what the test computes expected numbers from.
 */
export async function readStoryEvents(kafka: Kafka, serde: RegistrySerde, prefix: string, count: number, groupId: string): Promise<StoryEvent[]> {
  const consumer = kafka.consumer({ groupId });
  const events: StoryEvent[] = [];
  const roleOf = new Map<string, Role>((['work', 'succeeded', 'failed', 'abandoned'] as const).map((role) => [topicName(prefix, TOPICS[role]), role]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...roleOf.keys()], fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const role = roleOf.get(topic) as Role;
        const value = await serde.decode(message.value as Buffer, CONTRACTS[role]);
        events.push({ topic: role, value, timestampMs: Number(message.timestamp) } as StoryEvent);
        if (events.length >= count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${events.length} of ${count} events`)), 60_000);
    });
    try {
      await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
  }
  return events;
}
