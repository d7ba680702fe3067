import { describeResources, isEmpty, leftoversSince, listTestResources, type TestResources } from './test-leftovers';

/** How long deleted topics may take to disappear from the listing, in milliseconds. */
const SETTLE_MS = 30_000;

/**
 * Checks that the run left no topic, consumer group or Redis key under a test prefix (each test
 * cleans up after itself), then stops testcontainers started by the global setup; the local stack
 * is left for the next run (`npm run stack:down`).
 */
export default async function globalTeardown(): Promise<void> {
  const before = (globalThis as { __testResourcesBefore?: TestResources }).__testResourcesBefore;
  let leftovers: TestResources | undefined;
  if (before) {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      leftovers = leftoversSince(before, await listTestResources(process.env.KAFKA_BROKERS as string, process.env.REDIS_URL as string));
      if (isEmpty(leftovers) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  const stop = (globalThis as { __stopTestStack?: () => Promise<void> }).__stopTestStack;
  if (stop) await stop();
  if (leftovers && !isEmpty(leftovers)) {
    throw new Error(`the integration tests left resources under test prefixes: ${describeResources(leftovers)}`);
  }
}
