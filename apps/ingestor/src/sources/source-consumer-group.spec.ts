import type { Admin } from 'kafkajs';
import { loadConfig } from '@workpipe/config';
import { createLogger } from '@workpipe/logging';
import { sourceConsumerSpecs } from './source-consumer-spec';

/** An admin that knows only these topics (all the spec asks it). */
function adminWith(...topics: string[]): Admin {
  return { listTopics: async () => topics } as unknown as Admin;
}

const logger = createLogger({ service: 'test', level: 'silent' });
const sources = JSON.stringify([{ topic: 'billing.events', type: 'billing', mapping: { key: 'customer.id' } }]);

describe('sourceConsumerSpecs', () => {
  it('reads the source topics in the consumer group "<prefix>ingestor.sources"', async () => {
    // Literal names on purpose: a renamed group (or prefix handling) must fail here, as the README states the name.
    const [spec] = await sourceConsumerSpecs(loadConfig('ingestor', { TOPIC_PREFIX: 'acme.', INGEST_SOURCES: sources }), adminWith('billing.events'), logger);
    expect(spec?.groupId).toBe('acme.ingestor.sources');
    expect(spec?.topics).toEqual([{ topic: 'billing.events' }]);
  });

  it('uses "workpipe.ingestor.sources" with the default prefix', async () => {
    const [spec] = await sourceConsumerSpecs(loadConfig('ingestor', { INGEST_SOURCES: sources }), adminWith('billing.events'), logger);
    expect(spec?.groupId).toBe('workpipe.ingestor.sources');
  });
});
