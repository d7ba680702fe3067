import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { TOPICS, topicName, WorkFailed, WorkSucceeded, type WorkItem } from '@workpipe/contracts';
import { RegistrySerde } from '@workpipe/kafka';
import { INGESTOR } from '../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR, ProcessorModule, WorkHandlerFor, type HandlerResult, type WorkHandler } from '../../apps/processor/src';
import { PipelineHarness } from '../support/pipeline-harness';
import { cleanupWithSubjects } from '../support/registry-subjects';
import { TestEnv } from '../support/test-env';
import { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait-for';

/** PROCESSOR_ATTEMPT_TIMEOUT_MS of this test, in milliseconds: small, so the bound is met quickly. */
const ATTEMPT_TIMEOUT_MS = 1_000;

/** Items whose attempt started, by id, and how to let each hung attempt end (at cleanup only). */
const started: string[] = [];
const releases: (() => void)[] = [];

/**
 * A handler that does not enforce a timeout of its own (no `timeoutMs`) and never returns: it
 * ignores its signal too, so only the processor's own bound can end the attempt.
 */
@Injectable()
@WorkHandlerFor({ type: 'never-returns', downstream: 'silent-gateway' })
class NeverReturningHandler implements WorkHandler {
  handle(item: WorkItem.Value): Promise<HandlerResult> {
    started.push(item.itemId);
    return new Promise((resolve) => releases.push(() => resolve({ summary: { released: true } })));
  }
}

/** The item behind it on the same key: quick, and it must run. */
@Injectable()
@WorkHandlerFor({ type: 'quick', downstream: 'quick-gateway' })
class QuickHandler implements WorkHandler {
  async handle(item: WorkItem.Value): Promise<HandlerResult> {
    started.push(item.itemId);
    return { summary: { quick: true } };
  }
}

describe('PROCESSOR_ATTEMPT_TIMEOUT_MS bounds an attempt whose handler has no timeout of its own', () => {
  const env = new TestEnv('attempt-timeout');
  const harness = new PipelineHarness(env);
  const serde = new RegistrySerde(env.config('cli').schemaRegistry);
  let succeeded: TopicReader<typeof WorkSucceeded.Schema>;
  let failed: TopicReader<typeof WorkFailed.Schema>;
  let submit: (items: unknown[]) => Promise<unknown>;

  beforeAll(async () => {
    const ingestor = await harness.start(INGESTOR);
    await harness.start(
      { ...PROCESSOR, module: (config) => ProcessorModule.forRoot(config, { handlers: [NeverReturningHandler, QuickHandler] }) },
      { PROCESSOR_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS), SHUTDOWN_TIMEOUT_MS: '5000' },
    );
    submit = (items) => request(ingestor.getHttpServer()).post('/v1/batches').send({ items }).expect(202);
    succeeded = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.succeeded), WorkSucceeded, `${env.id}-s`).start();
    failed = await new TopicReader(env.kafka(), serde, topicName(env.topicPrefix, TOPICS.failed), WorkFailed, `${env.id}-f`).start();
  });

  afterAll(async () => {
    // Whatever the test saw, no attempt is left hanging into the shutdown.
    for (const release of releases.splice(0)) release();
    await Promise.allSettled([succeeded?.stop(), failed?.stop()]);
    await harness.close();
    await cleanupWithSubjects(env);
  });

  it('ends the attempt as a TIMEOUT failure after the bound, and the next item of the partition is processed', async () => {
    // One key: one partition, and the quick item runs only once the hung one is finished with.
    await submit([
      { itemId: 'hangs-1', key: 'account-7', type: 'never-returns', payload: { n: 1 } },
      { itemId: 'after-1', key: 'account-7', type: 'quick', payload: { n: 2 } },
    ]);
    await waitFor(() => succeeded.values().some((event) => event.itemId === 'after-1'), {
      timeoutMs: 60_000,
      description: 'the item behind the hung one processed',
    });
    await waitFor(() => failed.events.length >= 1, { description: 'the failure of the hung attempt' });

    expect(started).toEqual(['hangs-1', 'after-1']);
    const [timedOut] = failed.values();
    expect(failed.values()).toHaveLength(1);
    expect(timedOut?.item.itemId).toBe('hangs-1');
    expect(timedOut?.failure).toMatchObject({ type: 'TIMEOUT', code: 'ATTEMPT_TIMEOUT', retryable: true });
    expect(timedOut?.failure.message).toContain(`${ATTEMPT_TIMEOUT_MS} ms`);
    // The attempt ran its whole bound (only a lower bound: the machine may be slow).
    expect(timedOut?.durationMs).toBeGreaterThanOrEqual(ATTEMPT_TIMEOUT_MS);
    // The next item of the same work partition, behind it.
    const after = succeeded.values().find((event) => event.itemId === 'after-1');
    expect(after?.source.partition).toBe(timedOut?.source.partition);
    expect(BigInt(timedOut?.source.offset ?? '-1')).toBeLessThan(BigInt(after?.source.offset ?? '-1'));
    expect(succeeded.values().map((event) => event.itemId)).toEqual(['after-1']);
  });
});
