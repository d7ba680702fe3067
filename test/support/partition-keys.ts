import { Partitioners } from 'kafkajs';

/**
 * A key that the producers' partitioner (murmur2, as the Java client) puts on
 * `partition` of a topic with `partitions` partitions: `<prefix>-<n>` for the
 * smallest n that lands there.
 */
export function keyForPartition(partition: number, partitions: number, prefix: string): string {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, id) => ({
    partitionId: id,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  for (let n = 0; n < 100_000; n++) {
    const key = `${prefix}-${n}`;
    if (partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }) === partition) return key;
  }
  throw new Error(`no key found for partition ${partition} of ${partitions}`);
}
