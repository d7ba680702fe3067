import { ConfigResourceTypes, type Kafka } from 'kafkajs';

/** kafkajs's `configSource` of a setting made on the topic itself. */
const TOPIC_CONFIG = 1;

/** The settings made on a topic itself (not broker defaults). */
export async function topicOverrides(kafka: Kafka, topic: string): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    return Object.fromEntries(
      (resources[0]?.configEntries ?? []).filter((entry) => entry.configSource === TOPIC_CONFIG).map((entry) => [entry.configName, entry.configValue]),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Sets a topic's settings to exactly `overrides` (kafkajs only has the
 * non-incremental AlterConfigs: a setting left out goes back to the broker
 * default, so callers pass every override they want kept), and waits until
 * the broker reports them.
 */
export async function setTopicOverrides(kafka: Kafka, topic: string, overrides: Record<string, string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(overrides).map(([name, value]) => ({ name, value })) }],
    });
  } finally {
    await admin.disconnect();
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await topicOverrides(kafka, topic);
    if (JSON.stringify(Object.entries(now).sort()) === JSON.stringify(Object.entries(overrides).sort())) return;
    if (Date.now() > deadline) throw new Error(`${topic}: settings ${JSON.stringify(now)}, not ${JSON.stringify(overrides)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
