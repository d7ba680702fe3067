import type { Kafka } from 'kafkajs';
import { TOPICS, topicName, WorkAbandoned, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import type { RegistrySerde } from '@workpipe/kafka';
import { countRecords } from '../../test/support/record-count';
import { TopicReader } from '../../test/support/topic-reader';

/** The item ids on the topics a run is judged by. */
export interface TopicItemIds {
  work: string[];
  succeeded: string[];
  abandoned: string[];
}

/**
 * Follows the work topic, work.succeeded and work.abandoned from the beginning with
 * read_committed readers (what every consumer of the pipeline sees: aborted writes of a killed
 * process never show), each in a consumer group under the run's topic prefix.
 */
export class PipelineTopicsReader {
  private readonly work: TopicReader<typeof WorkItem.Schema>;
  private readonly succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  private readonly abandoned: TopicReader<typeof WorkAbandoned.Schema>;

  constructor(
    private readonly kafka: Kafka,
    serde: RegistrySerde,
    topicPrefix: string,
  ) {
    const group = (role: string): string => `${topicPrefix}chaos-reader-${role}`;
    this.work = new TopicReader(kafka, serde, topicName(topicPrefix, TOPICS.work), WorkItem, group('work'));
    this.succeeded = new TopicReader(kafka, serde, topicName(topicPrefix, TOPICS.succeeded), WorkSucceeded, group('succeeded'));
    this.abandoned = new TopicReader(kafka, serde, topicName(topicPrefix, TOPICS.abandoned), WorkAbandoned, group('abandoned'));
  }

  async start(): Promise<void> {
    await Promise.all([this.work.start(), this.succeeded.start(), this.abandoned.start()]);
  }

  /** What was read so far. */
  itemIds(): TopicItemIds {
    return {
      work: this.work.values().map((item) => item.itemId),
      succeeded: this.succeeded.values().map((event) => event.itemId),
      abandoned: this.abandoned.values().map((letter) => letter.item.itemId),
    };
  }

  /** Where an item is on the three topics, e.g. `x-1: work 1:204 a1, 1:388 a2; succeeded 0:97 a2; abandoned none`. */
  trailOf(itemId: string): string {
    const at = (events: { partition: number; offset: string }[], attempts: number[]): string =>
      events.length === 0 ? 'none' : events.map((event, i) => `${event.partition}:${event.offset} a${attempts[i]}`).join(', ');
    const work = this.work.events.filter((event) => event.value.itemId === itemId);
    const succeeded = this.succeeded.events.filter((event) => event.value.itemId === itemId);
    const abandoned = this.abandoned.events.filter((event) => event.value.item.itemId === itemId);
    return (
      `${itemId}: work ${at(work, work.map((event) => event.value.attempt))}; ` +
      `succeeded ${at(succeeded, succeeded.map((event) => event.value.attempt))}; ` +
      `abandoned ${at(abandoned, abandoned.map((event) => event.value.item.attempt))}`
    );
  }

  /**
   * Topics whose reader has not seen every record a fresh read_committed count finds (an empty
   * list when the readers are complete), e.g. `work.succeeded: read 2990 of 2991`.
   */
  async behind(): Promise<string[]> {
    const lines: string[] = [];
    for (const reader of [this.work, this.succeeded, this.abandoned] as TopicReader<never>[]) {
      const count = await countRecords(this.kafka, reader.topic, 60_000);
      const read = reader.events.length + reader.undecodable.length;
      if (read !== count) lines.push(`${reader.topic}: read ${read} of ${count}`);
    }
    return lines;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.work.stop(), this.succeeded.stop(), this.abandoned.stop()]);
  }
}
