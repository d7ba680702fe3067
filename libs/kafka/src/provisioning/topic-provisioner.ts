import type { Admin, ITopicMetadata } from 'kafkajs';
import type { Logger } from '@workpipe/logging';
import { TopicProvisioningError } from '../errors/topic-provisioning-error';
import { topicCreationFailures, type TopicCreationFailure } from './topic-creation-failure';
import type { ProvisionResult, TopicSpec } from './topic-spec';

export interface TopicProvisionerOptions {
  /** Longest the topics may take to exist with every partition led, in milliseconds; default 60000. */
  timeoutMs?: number;
  /** First pause between tries, in milliseconds, doubled up to `maxBackoffMs`; default 100. */
  initialBackoffMs?: number;
  /** Longest pause between tries, in milliseconds; default 2000. */
  maxBackoffMs?: number;
}

export const DEFAULT_PROVISION_TIMEOUT_MS = 60_000;

/**
 * Creates the topics a service needs and returns once every one of them exists
 * with a leader for each partition. Several services (and instances) start at
 * once and create the same fresh topics: "already exists" is success, and what
 * Kafka answers while a topic is being created (unknown partition, no leader
 * yet, controller moved) is retried with a bounded backoff. A refusal that
 * retrying cannot change (a replication factor the cluster cannot meet, no
 * right to create) stops at once with the topic and the setting to change.
 */
export class TopicProvisioner {
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly admin: Admin,
    private readonly logger: Logger,
    options: TopicProvisionerOptions = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROVISION_TIMEOUT_MS;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
  }

  async ensure(specs: readonly TopicSpec[]): Promise<ProvisionResult> {
    const wanted = dedupe(specs);
    if (wanted.length === 0) return { created: [], existing: [], underPartitioned: [] };
    const deadline = Date.now() + this.timeoutMs;
    const created = new Set<string>();
    let existedAtStart: Set<string> | undefined;
    let backoff = this.initialBackoffMs;
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await this.admin.listTopics());
        existedAtStart ??= new Set(wanted.filter((spec) => existing.has(spec.name)).map((spec) => spec.name));
        const missing = wanted.filter((spec) => !existing.has(spec.name));
        if (missing.length > 0) {
          const failures = await this.create(missing);
          for (const spec of missing) if (!failures.some((failure) => failure.topic === spec.name)) created.add(spec.name);
          const fatal = failures.find((failure) => !failure.retryable);
          if (fatal) throw fatalError(fatal, wanted);
          if (failures.length > 0) {
            lastProblem = failures.map((failure) => `${failure.topic}: ${failure.type}`).join(', ');
            throw new RetryLater();
          }
        }
        const unled = await this.unledPartitions(wanted);
        if (unled.length > 0) {
          lastProblem = `no leader yet for ${unled.slice(0, 5).join(', ')}${unled.length > 5 ? ` and ${unled.length - 5} more` : ''}`;
          throw new RetryLater();
        }
        break;
      } catch (error) {
        if (error instanceof TopicProvisioningError) throw error;
        if (!(error instanceof RetryLater)) lastProblem = (error as Error).message;
        if (Date.now() + backoff > deadline) {
          throw new TopicProvisioningError(
            `topics ${wanted.map((spec) => spec.name).join(', ')} were not ready within ${this.timeoutMs} ms (${attempt} tries; last: ${lastProblem})`,
            true,
            error instanceof RetryLater ? undefined : error,
          );
        }
        this.logger.debug({ attempt, backoffMs: backoff, problem: lastProblem }, 'topics not ready yet; trying again');
        await this.sleep(backoff);
        backoff = Math.min(this.maxBackoffMs, backoff * 2);
      }
    }
    const present = wanted.filter((spec) => existedAtStart?.has(spec.name));
    const underPartitioned = await this.underPartitioned(present);
    if (created.size > 0) this.logger.info({ topics: [...created] }, 'created topics');
    return { created: [...created], existing: present.map((spec) => spec.name), underPartitioned };
  }

  /** Asks for the missing topics; returns the per-topic refusals other than "already exists". */
  private async create(missing: readonly TopicSpec[]): Promise<TopicCreationFailure[]> {
    try {
      await this.admin.createTopics({
        // Leaders are awaited below, with retries kafkajs' own wait does not make.
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      return [];
    } catch (error) {
      return topicCreationFailures(error, missing.map((spec) => spec.name));
    }
  }

  /** `topic/partition` of every wanted partition without a leader (or not known yet). */
  private async unledPartitions(wanted: readonly TopicSpec[]): Promise<string[]> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: wanted.map((spec) => spec.name) });
    const byName = new Map<string, ITopicMetadata>(metadata.topics.map((topic) => [topic.name, topic]));
    const unled: string[] = [];
    for (const spec of wanted) {
      const topic = byName.get(spec.name);
      if (!topic || topic.partitions.length === 0) {
        unled.push(`${spec.name} (not in metadata)`);
        continue;
      }
      for (const partition of topic.partitions) {
        if (partition.partitionErrorCode !== 0 || partition.leader < 0) unled.push(`${spec.name}/${partition.partitionId}`);
      }
    }
    return unled;
  }

  private async underPartitioned(present: readonly TopicSpec[]): Promise<ProvisionResult['underPartitioned']> {
    if (present.length === 0) return [];
    const metadata = await this.admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
    const result: ProvisionResult['underPartitioned'] = [];
    for (const topic of metadata.topics) {
      const spec = present.find((candidate) => candidate.name === topic.name);
      if (spec && topic.partitions.length < spec.partitions) {
        result.push({ name: topic.name, partitions: topic.partitions.length, wanted: spec.partitions });
      }
    }
    for (const topic of result) {
      this.logger.warn(topic, 'topic has fewer partitions than configured; left unchanged (repartitioning moves keys)');
    }
    return result;
  }
}

/** Internal signal: not ready yet, pause and try again. */
class RetryLater extends Error {}

function fatalError(failure: TopicCreationFailure, wanted: readonly TopicSpec[]): TopicProvisioningError {
  const spec = wanted.find((candidate) => candidate.name === failure.topic);
  const asked = spec ? ` (asked: ${spec.partitions} partitions, replication factor ${spec.replicationFactor})` : '';
  const change = failure.setting ? `; check ${failure.setting}` : '';
  return new TopicProvisioningError(`Kafka refused to create topic ${failure.topic}: ${failure.type}${asked}${change}`, false);
}

function dedupe(specs: readonly TopicSpec[]): TopicSpec[] {
  return [...new Map(specs.map((spec) => [spec.name, spec])).values()];
}
