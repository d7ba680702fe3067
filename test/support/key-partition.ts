import { Partitioners } from 'kafkajs';

/**
 * The partition the producers' partitioner (murmur2, as the Java client) puts `key` on, of a
 * topic with `partitions` partitions: which processor instance will handle an item, once the
 * group's assignment is known.
 */
export function partitionOf(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, id) => ({ partitionId: id, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}
