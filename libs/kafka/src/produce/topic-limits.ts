import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { RECORD_BATCH_OVERHEAD_BYTES } from './record-size';

/** Kafka's default `message.max.bytes` (1 MiB plus the batch overhead of an old record set). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * How many bytes a record batch of each topic may take: the topic's
 * `max.message.bytes` (its own setting or the broker default), read once per
 * topic and cached. When the setting cannot be read (no describe-configs
 * right), Kafka's default applies.
 */
export class TopicLimits {
  private readonly limits = new Map<string, Promise<number>>();

  constructor(private readonly admin: Pick<Admin, 'describeConfigs'>) {}

  /** Largest record batch the topic accepts, in bytes. */
  maxBatchBytes(topic: string): Promise<number> {
    let limit = this.limits.get(topic);
    if (!limit) {
      limit = this.read(topic);
      this.limits.set(topic, limit);
    }
    return limit;
  }

  /** Drops the cached limit of a topic (the broker refused a batch under it: the setting changed). */
  forget(topic: string): void {
    this.limits.delete(topic);
  }

  /** Largest single record the topic accepts, in bytes (a batch of one). */
  async maxRecordBytes(topic: string): Promise<number> {
    return (await this.maxBatchBytes(topic)) - RECORD_BATCH_OVERHEAD_BYTES;
  }

  private async read(topic: string): Promise<number> {
    try {
      const { resources } = await this.admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
      });
      const value = resources[0]?.configEntries.find((entry) => entry.configName === 'max.message.bytes')?.configValue;
      const parsed = Number(value);
      return Number.isInteger(parsed) && parsed > RECORD_BATCH_OVERHEAD_BYTES ? parsed : DEFAULT_MAX_MESSAGE_BYTES;
    } catch {
      this.limits.delete(topic); // read again next time
      return DEFAULT_MAX_MESSAGE_BYTES;
    }
  }
}
