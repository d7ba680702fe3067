import type { KafkaMessage } from 'kafkajs';
import { IngestSourceSchema } from '@workpipe/config';
import type { IngestRejected, SubmissionResult } from '@workpipe/contracts';
import type { OutgoingEvent } from '@workpipe/kafka';
import { validateSubmissions } from '../submission/submission-validator';
import { SubmissionInFlightError } from './errors/submission-in-flight-error';
import { MAX_WORK_PAYLOAD_BYTES, SourceBatchProcessor, type SubmissionPort } from './source-batch-processor';
import { SourceEventDecoder } from './source-event-decoder';

const TOPIC = 'billing.events';
const source = IngestSourceSchema.parse({
  topic: TOPIC,
  format: 'json',
  type: 'billing-message',
  mapping: { key: 'customer.id', itemId: 'id' },
});

// JSON sources only: the registry is exercised for real in test/ingestor/source-topics.test.ts.
const registryNeverAsked = {
  decodeUnchecked: () => Promise.reject(new Error('the registry must not be asked')),
};

let nextOffset = 0;
function message(value: string | Buffer, headers: Record<string, string> = {}): KafkaMessage {
  return {
    key: Buffer.from('k'),
    value: typeof value === 'string' ? Buffer.from(value) : value,
    headers,
    offset: String(nextOffset++),
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}
const json = (value: unknown, headers?: Record<string, string>): KafkaMessage =>
  message(JSON.stringify(value), headers);
const invoice = (id: string, customerId: unknown = 'C-1') => json({ id, customer: { id: customerId } });

/**
 * The submission's own pure validation with an in-memory set standing in for
 * the Redis reservations; `inFlight` ids answer IN_FLIGHT as a pending reservation would.
 */
class RecordingSubmissions implements SubmissionPort {
  readonly calls: { items: readonly unknown[]; correlationId: string | readonly string[] }[] = [];
  readonly accepted = new Set<string>();
  inFlight = new Set<string>();
  failWith?: Error;

  async submit(
    rawItems: readonly unknown[],
    batchId: string | undefined,
    correlationId: string | readonly string[],
  ): Promise<SubmissionResult> {
    this.calls.push({ items: rawItems, correlationId });
    if (this.failWith) throw this.failWith;
    const { valid, rejected, duplicates } = validateSubmissions(rawItems, batchId);
    const accepted: SubmissionResult['accepted'] = [];
    for (const { index, itemId } of valid) {
      if (this.inFlight.has(itemId)) duplicates.push({ index, itemId, reason: 'IN_FLIGHT' });
      else if (this.accepted.has(itemId)) duplicates.push({ index, itemId, reason: 'ALREADY_ACCEPTED' });
      else accepted.push({ index, itemId });
    }
    accepted.forEach((item) => this.accepted.add(item.itemId));
    return {
      correlationId: typeof correlationId === 'string' ? correlationId : (correlationId[0] ?? ''),
      accepted,
      rejected,
      duplicates,
      counts: { accepted: accepted.length, rejected: rejected.length, duplicates: duplicates.length },
    };
  }
}

describe('SourceBatchProcessor', () => {
  let submissions: RecordingSubmissions;
  /** The rejections of each processed chunk that had any (the worker publishes them with the chunk's commit). */
  let published: OutgoingEvent<typeof IngestRejected.Schema>[][];
  let processor: { process: (chunk: Parameters<SourceBatchProcessor['process']>[0]) => ReturnType<SourceBatchProcessor['process']> };
  const now = new Date('2026-01-02T03:04:05.000Z');

  beforeEach(() => {
    nextOffset = 0;
    submissions = new RecordingSubmissions();
    published = [];
    const real = new SourceBatchProcessor([source], new SourceEventDecoder(registryNeverAsked), submissions, () => now);
    processor = {
      process: async (chunk) => {
        const outcome = await real.process(chunk);
        if (outcome.rejections.length > 0) published.push(outcome.rejections);
        return outcome;
      },
    };
  });

  it('submits the mappable messages in one call, rejecting poison and unmappable ones with their bytes', async () => {
    const messages = [
      json({ id: 'inv-1', customer: { id: 'C-1' }, amount: 10 }),
      message('not json {'),
      json({ id: 'inv-2', amount: 5 }),
      json({ id: 'inv-3', customer: { id: 42 }, amount: 7 }),
    ];
    const outcome = await processor.process({ topic: TOPIC, partition: 2, messages });

    expect(submissions.calls).toHaveLength(1);
    expect(submissions.calls[0]!.items).toEqual([
      {
        itemId: 'inv-1',
        key: 'C-1',
        type: 'billing-message',
        payload: { id: 'inv-1', customer: { id: 'C-1' }, amount: 10 },
      },
      {
        itemId: 'inv-3',
        key: '42',
        type: 'billing-message',
        payload: { id: 'inv-3', customer: { id: 42 }, amount: 7 },
      },
    ]);
    expect(outcome.messages.map((m) => [m.offset, m.outcome, m.itemId])).toEqual([
      ['0', 'accepted', 'inv-1'],
      ['1', 'rejected', undefined],
      ['2', 'rejected', undefined],
      ['3', 'accepted', 'inv-3'],
    ]);
    expect(outcome.counts).toEqual({ accepted: 2, duplicate: 0, rejected: 2 });

    expect(published).toHaveLength(1);
    const [poison, unmappable] = published[0]!;
    expect(poison).toMatchObject({
      key: `${TOPIC}:2`,
      value: {
        sourceTopic: TOPIC,
        partition: 2,
        offset: '1',
        keyBase64: Buffer.from('k').toString('base64'),
        valueBase64: Buffer.from('not json {').toString('base64'),
        rejectedAt: now.toISOString(),
      },
      headers: { 'x-correlation-id': `${TOPIC}:2:1` },
    });
    expect(poison!.value.reason).toMatch(/^not decodable as json: the value is not JSON/);
    expect(unmappable!.value).toMatchObject({
      offset: '2',
      reason: expect.stringContaining('"customer.id" is missing'),
    });
  });

  it('rejects what the submission finds invalid, with its reason, and counts duplicates apart', async () => {
    submissions.accepted.add('inv-9');
    const outcome = await processor.process({
      topic: TOPIC,
      partition: 0,
      messages: [json({ id: 'inv-8', customer: { id: 'bad key!' } }), json({ id: 'inv-9', customer: { id: 'C-9' } })],
    });
    expect(outcome.messages.map((m) => [m.outcome, m.itemId, m.reason])).toEqual([
      ['rejected', 'inv-8', expect.stringMatching(/^invalid work item: key: /)],
      ['duplicate', 'inv-9', 'ALREADY_ACCEPTED'],
    ]);
    expect(published[0]!.map((event) => [event.value.offset, event.headers?.['x-item-id']])).toEqual([['0', 'inv-8']]);
  });

  it('does not call the submission when nothing in the chunk maps', async () => {
    const outcome = await processor.process({ topic: TOPIC, partition: 0, messages: [message('{'), json([])] });
    expect(submissions.calls).toEqual([]);
    expect(outcome.counts).toEqual({ accepted: 0, duplicate: 0, rejected: 2 });
    expect(published[0]).toHaveLength(2);
  });

  it('fails, publishing no rejection, when the submission fails', async () => {
    submissions.failWith = new Error('publishing to work failed');
    await expect(
      processor.process({ topic: TOPIC, partition: 0, messages: [invoice('inv-1'), message('{')] }),
    ).rejects.toThrow('publishing to work failed');
    expect(published).toEqual([]);
  });

  it('fails with a retryable error while an item is still in flight, rather than commit past it', async () => {
    submissions.inFlight.add('inv-1');
    const error = await processor
      .process({ topic: TOPIC, partition: 0, messages: [invoice('inv-1'), message('{')] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubmissionInFlightError);
    expect(error).toMatchObject({ retryable: true, itemIds: ['inv-1'] });
    expect(published).toEqual([]);
  });

  it('rejects a payload too large to ever fit a work item instead of stalling on it', async () => {
    const outcome = await processor.process({
      topic: TOPIC,
      partition: 0,
      messages: [json({ id: 'big', customer: { id: 'C-1' }, blob: 'x'.repeat(MAX_WORK_PAYLOAD_BYTES) })],
    });
    expect(outcome.messages[0]).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/exceeds/) });
    expect(submissions.calls).toEqual([]);
  });

  it("gives each item its own event's correlation id: the header, else topic:partition:offset", async () => {
    await processor.process({
      topic: TOPIC,
      partition: 1,
      messages: [
        json({ id: 'a', customer: { id: 'C' } }, { 'x-correlation-id': 'req-1' }),
        json({ id: 'b', customer: { id: 'C' } }, { 'x-correlation-id': 'req-1' }),
      ],
    });
    await processor.process({
      topic: TOPIC,
      partition: 1,
      messages: [json({ id: 'c', customer: { id: 'C' } }, { 'x-correlation-id': 'req-2' }), invoice('d')],
    });
    await processor.process({ topic: TOPIC, partition: 1, messages: [invoice('e')] });
    expect(submissions.calls.map((call) => call.correlationId)).toEqual([
      ['req-1', 'req-1'],
      ['req-2', `${TOPIC}:1:3`],
      [`${TOPIC}:1:4`],
    ]);
  });
});
