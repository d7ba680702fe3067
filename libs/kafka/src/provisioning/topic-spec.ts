/** A topic a service needs. */
export interface TopicSpec {
  /** Full topic name, prefix included. */
  name: string;
  /** Partitions to create it with (the unit of consumer parallelism). */
  partitions: number;
  /** Copies of each partition; 1 on a single-node dev broker, 3 in production. */
  replicationFactor: number;
  /** Topic-level configs, e.g. `{ 'retention.ms': '604800000' }`. */
  configs?: Record<string, string>;
}

export interface ProvisionResult {
  created: string[];
  existing: string[];
  /** Existing topics with fewer partitions than asked for (not changed: it would move keys). */
  underPartitioned: { name: string; partitions: number; wanted: number }[];
}
