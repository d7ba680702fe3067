/** An event encoded for one topic, ready to be produced, with the bytes it takes in a record batch. */
export interface EncodedRecord {
  topic: string;
  /** Partition key: one entity's events stay in one partition, in order. */
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** Upper bound of the record's size inside a record batch (see `recordBytes`). */
  bytes: number;
}
