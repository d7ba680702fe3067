import { ApiVersionsAnswer, FETCH_KEY } from './kafka-api-versions';
import { KafkaVersion, kafkaRelease } from './kafka-version';
import { MetadataVersionInfo, describeMetadataVersion } from './metadata-version';

/** The line a broker belongs to, judged from what it answered to ApiVersions. */
export type BrokerLine = 3 | 4;

/**
 * What a broker's ApiVersions answer says about its version. The protocol carries no software
 * version, so this is the cluster's finalized metadata.version, which names a release, and the
 * line: the metadata.version's major, else the Fetch versions (4.x answers from version 4 on,
 * KIP-896 removed 0 to 3).
 */
export interface BrokerVersionEvidence {
  line?: BrokerLine;
  metadataVersion?: MetadataVersionInfo;
  /** For reports, e.g. `Kafka 4.x (metadata.version 4.4-IV2)`. */
  label: string;
}

function lineOfRelease(release: string | undefined): BrokerLine | undefined {
  const major = release === undefined ? undefined : Number(release.split('.')[0]);
  return major === 3 || major === 4 ? major : undefined;
}

export function brokerVersionEvidence(answer: ApiVersionsAnswer): BrokerVersionEvidence {
  const feature = answer.finalizedFeatures.find((candidate) => candidate.name === 'metadata.version');
  const metadataVersion = feature ? describeMetadataVersion(feature.maxVersionLevel) : undefined;
  const fetch = answer.apiKeys.find((range) => range.apiKey === FETCH_KEY);
  const line: BrokerLine | undefined =
    lineOfRelease(metadataVersion?.release) ?? (fetch === undefined ? undefined : fetch.minVersion >= 4 ? 4 : 3);
  const metadataText = metadataVersion
    ? `metadata.version ${metadataVersion.name ?? `level ${metadataVersion.level}`}`
    : 'no metadata.version';
  return { line, metadataVersion, label: `Kafka ${line === undefined ? '?' : `${line}.x`} (${metadataText})` };
}

/**
 * True when a broker not started by this stack may serve a request for `requested`: same line
 * and, when its metadata.version names a release, the same major.minor release. The protocol
 * cannot tell patch releases apart, so 4.4.1 passes for 4.4.0; anything coarser is refused.
 */
export function evidenceMatches(evidence: BrokerVersionEvidence, requested: KafkaVersion): boolean {
  if (evidence.line !== requested.major) return false;
  const release = evidence.metadataVersion?.release;
  return release === undefined || release === kafkaRelease(requested);
}

/** The version a Kafka broker prints when it starts (`Kafka version: 4.4.0`, from AppInfoParser), if the text holds it. */
export function kafkaVersionFromLog(text: string): string | undefined {
  return /\bKafka version: (\d+\.\d+\.\d+\S*)/.exec(text)?.[1];
}
