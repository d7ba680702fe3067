import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkFailed, WorkSucceeded, type WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR, ProcessorModule, WorkHandlerFor, type HandlerResult, type WorkHandler } from '../../apps/processor/src';
import { PipelineHarness } from '../support/pipeline-harness';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/** Attempts in flight right now, by item id, across every processor of this test process. */
const running = new Map<string, number>();
const overlaps: string[] = [];

/** Hangs forever when asked to, returns summaries that cannot be produced, or works slowly. */
@Injectable()
@WorkHandlerFor({ type: 'tricky', downstream: 'tricky', timeoutMs: 400 })
class TrickyHandler implements WorkHandler {
  async handle(item: WorkItem.Value): Promise<HandlerResult> {
    const seen = running.get(item.itemId) ?? 0;
    if (seen > 0) overlaps.push(item.itemId);
    running.set(item.itemId, seen + 1);
    try {
      switch (item.payload.mode) {
        case 'hang':
          return await new Promise<never>(() => undefined);
        case 'bigint':
          return { summary: { total: 10n } };
        case 'huge':
          return { summary: { blob: 'x'.repeat(1_200_000) } };
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, 40));
          return { summary: { ok: true } };
        default:
          return { summary: { ok: true } };
      }
    } finally {
      running.set(item.itemId, (running.get(item.itemId) ?? 1) - 1);
    }
  }
}

const processorWith = { ...PROCESSOR, module: (config: Parameters<typeof PROCESSOR.module>[0]) => ProcessorModule.forRoot(config, { handlers: [TrickyHandler] }) };

describe('the processor on the partition worker', () => {
  const env = new TestEnv('attempts');
  const harness = new PipelineHarness(env);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let submit: (items: unknown[]) => Promise<unknown>;
  const outcomesOf = (itemId: string) => [
    ...succeeded.values().filter((event) => event.itemId === itemId).map(() => 'succeeded'),
    ...failed.values().filter((event) => event.item.itemId === itemId).map((event) => event.failure.type),
  ];

  beforeAll(async () => {
    const ingestor = await harness.start(INGESTOR);
    await harness.start(processorWith);
    submit = (items) => request(ingestor.getHttpServer()).post('/v1/batches').send({ items }).expect(202);
    const topic = (base: (typeof TOPICS)[keyof typeof TOPICS]) => topicName(env.topicPrefix, base);
    succeeded = await new TopicReader(env.kafka(), serde, topic(TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    failed = await new TopicReader(env.kafka(), serde, topic(TOPICS.failed), WorkFailed, `${env.id}-f`).start();
  });

  afterAll(async () => {
    await Promise.allSettled([succeeded?.stop(), failed?.stop()]);
    await harness.close();
    await env.cleanup();
  });

  it('turns a handler that never returns into TIMEOUT, and the items behind it (same key) finish', async () => {
    await submit([
      { itemId: 'hung-1', key: 'one-key', type: 'tricky', payload: { mode: 'hang' } },
      { itemId: 'after-1', key: 'one-key', type: 'tricky', payload: {} },
      { itemId: 'after-2', key: 'one-key', type: 'tricky', payload: {} },
    ]);
    await waitFor(() => ['hung-1', 'after-1', 'after-2'].every((id) => outcomesOf(id).length > 0), {
      timeoutMs: 30_000,
      description: 'an outcome for the hung item and the two behind it',
    });
    expect(outcomesOf('hung-1')).toEqual(['TIMEOUT']);
    expect(failed.values().find((event) => event.item.itemId === 'hung-1')?.failure.message).toMatch(/did not finish within 400 ms/);
    expect(outcomesOf('after-1')).toEqual(['succeeded']);
    expect(outcomesOf('after-2')).toEqual(['succeeded']);
  });

  it('turns a summary that cannot be serialised or is too large into PROCESSING_ERROR, and the partition moves on', async () => {
    await submit([
      { itemId: 'bigint-1', key: 'key-b', type: 'tricky', payload: { mode: 'bigint' } },
      { itemId: 'huge-1', key: 'key-b', type: 'tricky', payload: { mode: 'huge' } },
      { itemId: 'fine-1', key: 'key-b', type: 'tricky', payload: {} },
    ]);
    await waitFor(() => ['bigint-1', 'huge-1', 'fine-1'].every((id) => outcomesOf(id).length > 0), {
      timeoutMs: 30_000,
      description: 'three outcomes',
    });
    expect(outcomesOf('bigint-1')).toEqual(['PROCESSING_ERROR']);
    expect(outcomesOf('huge-1')).toEqual(['PROCESSING_ERROR']);
    const reasons = failed.values().filter((event) => ['bigint-1', 'huge-1'].includes(event.item.itemId));
    expect(reasons.map((event) => event.failure.code)).toEqual(['OUTCOME_UNPUBLISHABLE', 'OUTCOME_UNPUBLISHABLE']);
    expect(reasons.find((event) => event.item.itemId === 'huge-1')?.failure.message).toMatch(/over the limit of \d+ bytes/);
    expect(outcomesOf('fine-1')).toEqual(['succeeded']);
  });

  it('loses nothing and runs no attempt twice at once when a second processor joins mid-stream', async () => {
    const items = Array.from({ length: 300 }, (_, n) => ({ itemId: `rb-${n}`, key: `rb-key-${n % 60}`, type: 'tricky', payload: { mode: 'slow' } }));
    await submit(items);
    await waitFor(() => succeeded.values().filter((event) => event.itemId.startsWith('rb-')).length >= 30, { description: 'the stream under way' });
    const second = await harness.start(processorWith);
    const done = () => new Set(succeeded.values().filter((event) => event.itemId.startsWith('rb-')).map((event) => event.itemId));
    await waitFor(() => done().size === items.length, { timeoutMs: 60_000, description: 'every item succeeded' });
    // Exactly one visible outcome per attempt, and the second processor got partitions.
    const outcomes = succeeded.values().filter((event) => event.itemId.startsWith('rb-'));
    expect(outcomes).toHaveLength(items.length);
    expect(failed.values().filter((event) => event.item.itemId.startsWith('rb-'))).toEqual([]);
    expect(overlaps).toEqual([]);
    const health = await request(second.getHttpServer()).get('/health').expect(200);
    expect(health.body.info.consumers['processor.work'].partitions).toBeGreaterThan(0);
  });
});
