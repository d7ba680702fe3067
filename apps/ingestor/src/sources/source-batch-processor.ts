import type { KafkaMessage } from 'kafkajs';
import type { IngestSource } from '@workpipe/config';
import type { IngestRejected, SubmissionResult } from '@workpipe/contracts';
import { readHeaders, type OutgoingEvent } from '@workpipe/kafka';
import { EventMappingError } from './errors/event-mapping-error';
import { SourceDecodeError } from './errors/source-decode-error';
import { SubmissionInFlightError } from './errors/submission-in-flight-error';
import { ingestRejectedEvent, type Rejection } from '@workpipe/kafka';
import { messageCorrelationId } from './source-correlation';
import type { SourceEventDecoder } from './source-event-decoder';
import { SourceEventMapper, type MappedSubmission } from './source-event-mapper';

/**
 * Largest mapped payload submitted, in bytes of JSON. The work item around it
 * must fit the broker's 1 MiB `message.max.bytes`: a larger one could never be
 * published and would stall the partition, so it is rejected instead.
 */
export const MAX_WORK_PAYLOAD_BYTES = 900 * 1024;

/** What the processor needs of `SubmissionService`. */
export interface SubmissionPort {
  submit(rawItems: readonly unknown[], batchId: string | undefined, correlationId: string | readonly string[]): Promise<SubmissionResult>;
}

/** Consecutive messages of one source partition, submitted together. */
export interface SourceChunk {
  topic: string;
  partition: number;
  messages: readonly KafkaMessage[];
}

export interface MessageOutcome {
  offset: string;
  correlationId: string;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  itemId?: string;
  /** Why it was rejected, or which kind of duplicate it was. */
  reason?: string;
}

export interface ChunkOutcome {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  /** One per message, in offset order. */
  messages: MessageOutcome[];
  counts: { accepted: number; duplicate: number; rejected: number };
  /** The `IngestRejected` events of the rejected messages, to commit with the chunk's offsets. */
  rejections: OutgoingEvent<typeof IngestRejected.Schema>[];
}

interface Mapped {
  index: number;
  item: MappedSubmission;
}

/**
 * Turns a chunk of source messages into work: decodes and maps each message,
 * submits the mapped items in one call (same validation and dedup as HTTP),
 * and returns the `ingest.rejected` events of every undecodable, unmappable or
 * invalid message. When `process` resolves, the items are durably in Kafka;
 * the rejections go out with the chunk's commit. When it rejects, nothing
 * may be committed.
 */
export class SourceBatchProcessor {
  private readonly sources: Map<string, { source: IngestSource; mapper: SourceEventMapper }>;

  constructor(
    sources: readonly IngestSource[],
    private readonly decoder: SourceEventDecoder,
    private readonly submissions: SubmissionPort,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sources = new Map(sources.map((source) => [source.topic, { source, mapper: new SourceEventMapper(source) }]));
  }

  async process(chunk: SourceChunk): Promise<ChunkOutcome> {
    const { topic, partition, messages } = chunk;
    const configured = this.sources.get(topic);
    if (!configured) throw new Error(`no ingest source is configured for topic ${topic}`);
    const headers = messages.map((message) => readHeaders(message.headers));
    const correlationIds = messages.map((message, index) =>
      messageCorrelationId(topic, partition, { offset: message.offset, headers: headers[index] ?? {} }),
    );
    const outcomes: (MessageOutcome | undefined)[] = new Array(messages.length);
    const rejections: Rejection[] = [];
    const reject = (index: number, reason: string, itemId?: string): void => {
      const message = messages[index] as KafkaMessage;
      const correlationId = correlationIds[index] as string;
      rejections.push({ topic, partition, message, headers: headers[index] ?? {}, reason, correlationId, itemId });
      outcomes[index] = { offset: message.offset, correlationId, outcome: 'rejected', itemId, reason };
    };

    const mapped: Mapped[] = [];
    for (const [index, message] of messages.entries()) {
      const result = await this.decodeAndMap(message, configured.source, configured.mapper);
      if (typeof result === 'string') reject(index, result);
      else mapped.push({ index, item: result });
    }

    if (mapped.length > 0) {
      const result = await this.submissions.submit(
        mapped.map((entry) => entry.item),
        undefined,
        // Each item keeps its own event's correlation id.
        mapped.map((entry) => correlationIds[entry.index] as string),
      );
      // An IN_FLIGHT item may be our own earlier, timed-out publish: committing past it could lose it.
      const inFlight = result.duplicates.filter((duplicate) => duplicate.reason === 'IN_FLIGHT');
      if (inFlight.length > 0) throw new SubmissionInFlightError(inFlight.map((duplicate) => duplicate.itemId));
      const messageIndex = (submissionIndex: number): number => (mapped[submissionIndex] as Mapped).index;
      for (const { index, itemId } of result.accepted) {
        const at = messageIndex(index);
        outcomes[at] = {
          offset: (messages[at] as KafkaMessage).offset,
          correlationId: correlationIds[at] as string,
          outcome: 'accepted',
          itemId,
        };
      }
      for (const { index, itemId, reason } of result.duplicates) {
        const at = messageIndex(index);
        outcomes[at] = {
          offset: (messages[at] as KafkaMessage).offset,
          correlationId: correlationIds[at] as string,
          outcome: 'duplicate',
          itemId,
          reason,
        };
      }
      for (const { index, itemId, reason } of result.rejected) {
        reject(messageIndex(index), `invalid work item: ${reason}`, itemId);
      }
    }

    const now = this.now();
    const done = outcomes.map((outcome, index) => {
      if (outcome) return outcome;
      // The submission accounts for every item it is given; a gap would be a bug, never a reason to skip.
      const offset = (messages[index] as KafkaMessage).offset;
      throw new Error(`the submission did not report on ${topic}:${partition}:${offset}`);
    });
    return {
      topic,
      partition,
      firstOffset: (messages[0] as KafkaMessage).offset,
      lastOffset: (messages[messages.length - 1] as KafkaMessage).offset,
      messages: done,
      counts: {
        accepted: done.filter((outcome) => outcome.outcome === 'accepted').length,
        duplicate: done.filter((outcome) => outcome.outcome === 'duplicate').length,
        rejected: done.filter((outcome) => outcome.outcome === 'rejected').length,
      },
      rejections: rejections.map((rejection) => ingestRejectedEvent(rejection, now)),
    };
  }

  /** The mapped item, or the reason the message is a poison message. Retryable failures are thrown. */
  private async decodeAndMap(
    message: KafkaMessage,
    source: IngestSource,
    mapper: SourceEventMapper,
  ): Promise<MappedSubmission | string> {
    let event: unknown;
    try {
      event = await this.decoder.decode(message.value, source.format);
    } catch (error) {
      if (error instanceof SourceDecodeError) return `not decodable as ${source.format}: ${error.message}`;
      throw error;
    }
    const item = mapper.map(event);
    if (item instanceof EventMappingError) return `not mappable: ${item.message}`;
    const payloadBytes = jsonByteLength(item.payload);
    if (payloadBytes === undefined) return 'not mappable: the payload cannot be written as JSON';
    if (payloadBytes > MAX_WORK_PAYLOAD_BYTES) {
      return `payload of ${payloadBytes} bytes exceeds the ${MAX_WORK_PAYLOAD_BYTES}-byte limit of a work item`;
    }
    return item;
  }
}

function jsonByteLength(value: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch {
    return undefined;
  }
}
