import type { Admin } from 'kafkajs';
import type { Logger } from '@workpipe/logging';
import { TopicProvisioningError } from './errors/topic-provisioning-error';
import type { ProvisionResult, TopicSpec } from './topic-spec';

/**
 * Creates the topics a service needs, idempotently: existing topics are left as
 * they are, and several instances starting at once race harmlessly.
 */
export class TopicProvisioner {
  constructor(
    private readonly admin: Admin,
    private readonly logger: Logger,
  ) {}

  async ensure(specs: readonly TopicSpec[]): Promise<ProvisionResult> {
    const wanted = dedupe(specs);
    const existingNames = new Set(await this.admin.listTopics());
    const missing = wanted.filter((spec) => !existingNames.has(spec.name));
    const created: string[] = [];

    if (missing.length > 0) {
      try {
        await this.admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((spec) => ({
            topic: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // Another instance may have created some of them in between: only fail if any is still missing.
        const nowExisting = new Set(await this.admin.listTopics());
        const stillMissing = missing.filter((spec) => !nowExisting.has(spec.name)).map((spec) => spec.name);
        if (stillMissing.length > 0) {
          throw new TopicProvisioningError(`could not create topics: ${stillMissing.join(', ')}`, error);
        }
      }
      created.push(...missing.map((spec) => spec.name));
    }

    const present = wanted.filter((spec) => existingNames.has(spec.name));
    const underPartitioned: ProvisionResult['underPartitioned'] = [];
    if (present.length > 0) {
      const metadata = await this.admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
      for (const topic of metadata.topics) {
        const spec = present.find((candidate) => candidate.name === topic.name);
        if (spec && topic.partitions.length < spec.partitions) {
          underPartitioned.push({ name: topic.name, partitions: topic.partitions.length, wanted: spec.partitions });
        }
      }
    }
    for (const topic of underPartitioned) {
      this.logger.warn(topic, 'topic has fewer partitions than configured; left unchanged (repartitioning moves keys)');
    }
    if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
    return { created, existing: present.map((spec) => spec.name), underPartitioned };
  }
}

function dedupe(specs: readonly TopicSpec[]): TopicSpec[] {
  return [...new Map(specs.map((spec) => [spec.name, spec])).values()];
}
