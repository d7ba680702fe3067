import { KafkaContainer } from '@testcontainers/kafka';
import { RedisContainer } from '@testcontainers/redis';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';

/** Images used where a Docker engine exists; the same versions as docker-compose.yml. */
export const CONTAINER_IMAGES = {
  kafka: 'confluentinc/cp-kafka:7.9.0',
  schemaRegistry: 'confluentinc/cp-schema-registry:7.9.0',
  redis: 'redis:7-alpine',
} as const;

export interface ContainerStack {
  kafkaBrokers: string;
  schemaRegistryUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/** Kafka (KRaft), Confluent Schema Registry and Redis in throwaway containers (testcontainers). */
export async function startContainerStack(): Promise<ContainerStack> {
  const network: StartedNetwork = await new Network().start();
  const kafka = await new KafkaContainer(CONTAINER_IMAGES.kafka)
    .withKraft()
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .start();
  const registry: StartedTestContainer = await new GenericContainer(CONTAINER_IMAGES.schemaRegistry)
    .withNetwork(network)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:9092',
    })
    .withExposedPorts(8081)
    .withWaitStrategy(Wait.forHttp('/subjects', 8081))
    .start();
  const redis = await new RedisContainer(CONTAINER_IMAGES.redis).start();
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
    redisUrl: redis.getConnectionUrl(),
    async stop() {
      await Promise.allSettled([redis.stop(), registry.stop(), kafka.stop()]);
      await network.stop();
    },
  };
}
