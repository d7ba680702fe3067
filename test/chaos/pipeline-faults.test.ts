import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createLogger } from '@workpipe/logging';
import { ensureStack } from '../../tools/stack';
import { formatChaosReport } from '../../tools/chaos/chaos-report';
import { runChaos, type ChaosResult } from '../../tools/chaos/chaos-run';
import { chaosSeed } from '../../tools/chaos/chaos-seed';
import type { FaultKind } from '../../tools/chaos/fault-kind';
import { expectOneTerminalOutcomeEach, expectStatsAgree } from './support/chaos-expectations';

const ROOT = join(__dirname, '../..');
const FAULTS: readonly FaultKind[] = ['kill-processor', 'kill-retrier', 'kill-stats', 'restart-broker', 'flush-redis'];

/**
 * Faults at random moments (seeded: CHAOS_SEED picks the seed, printed either way) under load:
 * kill -9 of a processor (of two), of the retrier and of the stats service, each started again; a
 * broker restart while items are being submitted; the run's Redis keys flushed. Then every accepted
 * item must have exactly one terminal outcome on the topics, and the stats service must say so too.
 */
describe('the pipeline under faults (single broker)', () => {
  const seed = chaosSeed(process.env.CHAOS_SEED);
  let result: ChaosResult;

  beforeAll(async () => {
    process.stdout.write(`pipeline-faults: CHAOS_SEED=${seed}\n`);
    const stack = await ensureStack({ mode: 'local' });
    const logDir = join(tmpdir(), `workpipe-chaos-test-${seed}-${Date.now()}`);
    result = await runChaos({
      stack,
      brokerStack: { stackDir: stack.stackDir },
      items: 3_000,
      requestSize: 100,
      submitDurationMs: 60_000,
      seed,
      requiredFaults: FAULTS,
      logDir,
      root: ROOT,
      logger: createLogger({ service: 'chaos-test', level: process.env.TEST_LOG_LEVEL ?? 'warn' }),
    });
    process.stdout.write(`${formatChaosReport(result)}\nservice logs: ${logDir}\n`);
  }, 420_000);

  it('survives every planned fault, the broker restart while items were submitted', () => {
    expect(result.failures).toEqual([]);
    expect(result.faults.map((fault) => fault.kind).sort()).toEqual([...FAULTS].sort());
    const broker = result.brokerOutages;
    expect(broker).toHaveLength(1);
    // While the broker was down the ingestor said "nothing accepted, retry" (503), never anything else
    // (how many requests fell in the outage depends on the pace: a short restart may see none)...
    expect(broker[0]?.other).toEqual([]);
    // ...and accepted again once it was back.
    expect(broker[0]?.acceptedAfterMs).not.toBeNull();
    expect(result.unavailable.filter((answer) => answer.status !== 503)).toEqual([]);
  });

  it('gives every accepted item exactly one terminal outcome: none lost, stuck, doubled or in both topics', () => {
    expectOneTerminalOutcomeEach(result, 3_000);
    // The downstream's profile makes both outcomes happen.
    expect(result.outcomes.succeeded).toBeGreaterThan(0);
    expect(result.outcomes.abandoned).toBeGreaterThan(0);
  });

  it('has the stats service agree with the topics (overall and for the batch) within the convergence timeout', () => {
    expectStatsAgree(result);
  });
});
