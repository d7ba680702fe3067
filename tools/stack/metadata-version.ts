/**
 * Kafka's `metadata.version` feature levels and their names, as MetadataVersion in Kafka 4.4.0's
 * server-common jar lists them (level 34, 4.5-IV0, is not production-ready in 4.4.0). A broker
 * reports its cluster's finalized level in ApiVersions; the level names the release whose
 * metadata the cluster runs, which is the broker's release unless the cluster was upgraded
 * without raising it.
 */
export const METADATA_VERSION_NAMES: Readonly<Record<number, string>> = {
  1: '3.0-IV1',
  2: '3.1-IV0',
  3: '3.2-IV0',
  4: '3.3-IV0',
  5: '3.3-IV1',
  6: '3.3-IV2',
  7: '3.3-IV3',
  8: '3.4-IV0',
  9: '3.5-IV0',
  10: '3.5-IV1',
  11: '3.5-IV2',
  12: '3.6-IV0',
  13: '3.6-IV1',
  14: '3.6-IV2',
  15: '3.7-IV0',
  16: '3.7-IV1',
  17: '3.7-IV2',
  18: '3.7-IV3',
  19: '3.7-IV4',
  20: '3.8-IV0',
  21: '3.9-IV0',
  22: '4.0-IV0',
  23: '4.0-IV1',
  24: '4.0-IV2',
  25: '4.0-IV3',
  26: '4.1-IV0',
  27: '4.1-IV1',
  28: '4.2-IV0',
  29: '4.2-IV1',
  30: '4.3-IV0',
  31: '4.4-IV0',
  32: '4.4-IV1',
  33: '4.4-IV2',
  34: '4.5-IV0',
};

/** A metadata.version level with its name and release, when the level is known. */
export interface MetadataVersionInfo {
  level: number;
  /** e.g. `4.4-IV2`; undefined for a level newer than the table. */
  name?: string;
  /** e.g. `4.4`; undefined for a level newer than the table. */
  release?: string;
}

export function describeMetadataVersion(level: number): MetadataVersionInfo {
  const name = METADATA_VERSION_NAMES[level];
  return name ? { level, name, release: name.split('-')[0] } : { level };
}
