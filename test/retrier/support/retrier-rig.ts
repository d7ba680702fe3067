import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import {
  HEADERS,
  retryTopicName,
  TOPICS,
  topicName,
  WorkAbandoned,
  WorkFailed,
  WorkItem,
  WorkSucceeded,
  type AttemptRecord,
  type FailureType,
} from '@workpipe/contracts';
import { EventPublisher, RegistrySerde } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { RETRIER } from '../../../apps/retrier/src/retrier.service-definition';
import { PipelineHarness } from '../../support/pipeline-harness';
import { countRecords } from '../../support/record-count';
import { TestEnv } from '../../support/test-env';
import { TopicReader, type ReadEvent } from '../../support/topic-reader';
import { waitFor } from '../../support/wait-for';

const logger = createLogger({ service: 'test', level: 'silent' });

/** What the retrier made of one failed attempt: a retry on a delay topic, or a dead letter. */
export type Decision =
  | { kind: 'retry'; item: WorkItem.Value; dueAt: number; topic: string; publishedAt: number; observedAt: number }
  | { kind: 'abandoned'; event: WorkAbandoned.Value; publishedAt: number; observedAt: number };

/** A failed attempt to feed the retrier. `message` must be unique in the test: it names the attempt's outcome. */
export interface FailureSpec {
  key: string;
  itemId: string;
  message: string;
  /** Default 1. */
  attempt?: number;
  /** Default API_ERROR. */
  type?: FailureType;
  /** Earlier failed attempts the item carries (default none). */
  history?: AttemptRecord[];
  deferrals?: number;
}

/**
 * A real retrier (in process) on its own prefixes, fed failed attempts on the
 * failed topic as a processor would publish them, with readers on what it
 * writes: the delay topics, the work topic and the dead letters.
 */
export class RetrierRig {
  readonly env: TestEnv;
  readonly config: AppConfig;
  private readonly harness: PipelineHarness;
  private readonly serde: RegistrySerde;
  private readonly publisher: EventPublisher;
  private app?: INestApplication;
  private retryReaders: TopicReader<typeof WorkItem.Schema>[] = [];
  work?: TopicReader<typeof WorkItem.Schema>;
  abandoned?: TopicReader<typeof WorkAbandoned.Schema>;

  private constructor(name: string, overrides: Record<string, string>) {
    this.env = new TestEnv(name);
    this.harness = new PipelineHarness(this.env);
    this.config = this.env.config('retrier', overrides);
    this.serde = new RegistrySerde(this.config.schemaRegistry);
    this.publisher = new EventPublisher(this.env.kafka(), this.serde, logger);
  }

  static async start(name: string, overrides: Record<string, string>): Promise<RetrierRig> {
    const rig = new RetrierRig(name, overrides);
    try {
      rig.app = await rig.harness.start(RETRIER, overrides);
      const kafka = rig.env.kafka();
      const prefix = rig.env.topicPrefix;
      rig.retryReaders = await Promise.all(
        rig.config.retry.delayTiersMs.map((tierMs, i) =>
          new TopicReader(kafka, rig.serde, retryTopicName(prefix, tierMs), WorkItem, `${rig.env.id}-r${i}`).start(),
        ),
      );
      rig.work = await new TopicReader(kafka, rig.serde, topicName(prefix, TOPICS.work), WorkItem, `${rig.env.id}-w`).start();
      rig.abandoned = await new TopicReader(kafka, rig.serde, topicName(prefix, TOPICS.abandoned), WorkAbandoned, `${rig.env.id}-a`).start();
      await rig.publisher.connect();
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  get http(): INestApplication {
    return this.app as INestApplication;
  }

  /** A failed attempt as the processor publishes it. */
  failed(spec: FailureSpec): WorkFailed.Value {
    const now = new Date().toISOString();
    return {
      item: {
        itemId: spec.itemId,
        key: spec.key,
        type: 'report',
        payload: {},
        attempt: spec.attempt ?? 1,
        createdAt: now,
        correlationId: spec.itemId,
        history: spec.history ?? [],
        ...(spec.deferrals === undefined ? {} : { deferrals: spec.deferrals }),
      },
      failure: { type: spec.type ?? 'API_ERROR', message: spec.message, code: 'HTTP_503', retryable: true },
      failedAt: now,
      durationMs: 3,
      source: { topic: topicName(this.env.topicPrefix, TOPICS.work), partition: 0, offset: '1' },
    };
  }

  /** Publishes failed attempts (in one request, in order) and waits for the retrier's decision on each. */
  async fail(...specs: FailureSpec[]): Promise<Decision[]> {
    const publishedAt = Date.now();
    const values = specs.map((spec) => this.failed(spec));
    await this.publisher.publish(
      topicName(this.env.topicPrefix, TOPICS.failed),
      WorkFailed,
      values.map((value) => ({ key: value.item.key, value })),
    );
    return Promise.all(specs.map((spec) => this.decisionOf(spec.message, publishedAt)));
  }

  /** The decision on the failed attempt whose failure message is `message`. */
  private async decisionOf(message: string, publishedAt: number): Promise<Decision> {
    return waitFor(
      () => {
        const dead = this.abandoned?.values().find((event) => event.lastFailure.message === message);
        if (dead) return { kind: 'abandoned', event: dead, publishedAt, observedAt: Date.now() } as Decision;
        for (const reader of this.retryReaders) {
          const retry = reader.events.find((event) => event.value.history.at(-1)?.failure.message === message);
          if (retry) {
            return {
              kind: 'retry',
              item: retry.value,
              dueAt: Number(retry.headers[HEADERS.dueAt]),
              topic: reader.topic,
              publishedAt,
              observedAt: Date.now(),
            } as Decision;
          }
        }
        return undefined;
      },
      { timeoutMs: 30_000, intervalMs: 25, description: `the retrier's decision on the failure "${message}"` },
    );
  }

  /**
   * A success of `key` on the succeeded topic, as the processor publishes it;
   * resolves once the retrier's successes consumer has committed past it.
   */
  async succeed(key: string, itemId: string): Promise<void> {
    const now = new Date().toISOString();
    const topic = topicName(this.env.topicPrefix, TOPICS.succeeded);
    const [written] = await this.publisher.publish(topic, WorkSucceeded, [
      {
        key,
        value: {
          itemId,
          key,
          type: 'report',
          attempt: 1,
          correlationId: itemId,
          createdAt: now,
          completedAt: now,
          durationMs: 3,
          result: {},
          history: [],
          source: { topic: topicName(this.env.topicPrefix, TOPICS.work), partition: 0, offset: '2' },
        },
      },
    ]);
    const partition = written?.partition as number;
    const next = BigInt(written?.baseOffset as string) + 1n;
    const admin = this.env.kafka().admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId: this.successesGroup, topics: [topic] });
          const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
          return BigInt(offset) >= next;
        },
        { timeoutMs: 30_000, intervalMs: 100, description: `the retrier's successes consumer to commit past the success of ${key}` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  get successesGroup(): string {
    return `${this.env.topicPrefix}retrier.successes`;
  }

  /**
   * Follows every reader to the current end of its topic (a `read_committed`
   * count of the records), so what a test then finds missing is really not there.
   */
  async caughtUp(): Promise<void> {
    const kafka = this.env.kafka();
    for (const reader of [...this.retryReaders, this.work, this.abandoned]) {
      if (!reader) continue;
      const records = await countRecords(kafka, reader.topic);
      await waitFor(() => reader.events.length + reader.undecodable.length >= records, {
        timeoutMs: 30_000,
        description: `the reader of ${reader.topic} to reach its end (${records} records)`,
      });
    }
  }

  /** Every retry the retrier wrote, on any delay topic. */
  retries(): ReadEvent<WorkItem.Value>[] {
    return this.retryReaders.flatMap((reader) => reader.events);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.disconnect(), ...this.retryReaders.map((r) => r.stop()), this.work?.stop(), this.abandoned?.stop()]);
    await this.harness.close();
    await this.env.cleanup();
  }
}
