import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createLogger } from '@workpipe/logging';
import { ensureStack, stopStack, type StackOptions, type StackUpResult } from '../../tools/stack';
import { formatChaosReport } from '../../tools/chaos/chaos-report';
import { runChaos, type ChaosResult } from '../../tools/chaos/chaos-run';
import { chaosSeed } from '../../tools/chaos/chaos-seed';
import type { FaultKind } from '../../tools/chaos/fault-kind';
import { expectOneTerminalOutcomeEach, expectStatsAgree } from './support/chaos-expectations';

const ROOT = join(__dirname, '../..');
const FAULTS: readonly FaultKind[] = ['kill-broker', 'kill-processor'];
/** A broker of three is SIGKILLed for longer than the cluster takes to fence it (6 s): writes must go on meanwhile. */
const KEEP_DATA = process.env.CHAOS_KEEP_DATA === '1';
const BROKER_DOWN_MS: readonly [number, number] = [15_000, 20_000];

/**
 * The pipeline on a three-broker KRaft cluster of its own (replication factor 3, min.insync.replicas
 * 2; Kafka only, beside the suite's single broker; the registry and Redis are the suite's), with a
 * broker killed (SIGKILL) under load and restarted, and a processor killed: nothing acknowledged may
 * be lost, and the ingestor keeps accepting while the broker is down.
 */
describe('the pipeline on a three-broker cluster, one broker killed under load', () => {
  const seed = chaosSeed(process.env.CHAOS_SEED);
  const clusterDir = mkdtempSync(join(tmpdir(), 'workpipe-cluster-stack-'));
  const clusterOptions: StackOptions = {
    mode: 'local',
    stackDir: clusterDir,
    kafkaBrokers: 3,
    only: ['kafka'],
    ports: { kafka: 19_192, kafkaController: 19_193 },
  };
  let cluster: StackUpResult | undefined;
  let result: ChaosResult;

  beforeAll(async () => {
    process.stdout.write(`cluster-faults: CHAOS_SEED=${seed}, cluster state in ${clusterDir}\n`);
    cluster = await ensureStack(clusterOptions);
    const logDir = join(tmpdir(), `workpipe-chaos-cluster-test-${seed}-${Date.now()}`);
    result = await runChaos({
      stack: {
        kafkaBrokers: cluster.kafkaBrokers,
        schemaRegistryUrl: process.env.SCHEMA_REGISTRY_URL as string,
        redisUrl: process.env.REDIS_URL as string,
      },
      brokerStack: clusterOptions,
      // Not the first bootstrap broker: the clients' seed list keeps a live broker first.
      brokerIndex: 1,
      replicationFactor: 3,
      items: 2_000,
      requestSize: 50,
      submitDurationMs: 45_000,
      seed,
      requiredFaults: FAULTS,
      downMs: BROKER_DOWN_MS,
      faultWindow: [0.15, 0.4],
      runName: 'chaos-cluster',
      // CHAOS_KEEP_DATA=1 keeps the run's topics and the cluster running, to inspect them (kcat -b 127.0.0.1:19192).
      keepData: KEEP_DATA,
      logDir,
      root: ROOT,
      logger: createLogger({ service: 'chaos-cluster-test', level: process.env.TEST_LOG_LEVEL ?? 'warn' }),
    });
    process.stdout.write(`${formatChaosReport(result)}\nservice logs: ${logDir}\n`);
  }, 480_000);

  afterAll(async () => {
    if (KEEP_DATA) return;
    await stopStack(clusterOptions).catch(() => undefined);
    rmSync(clusterDir, { recursive: true, force: true });
  }, 120_000);

  it('keeps accepting while a broker of three is down, and never answers anything but 503 meanwhile', () => {
    expect(result.failures).toEqual([]);
    expect(result.faults.map((fault) => fault.kind).sort()).toEqual([...FAULTS].sort());
    const [outage] = result.brokerOutages;
    expect(result.brokerOutages).toHaveLength(1);
    expect(outage?.other).toEqual([]);
    // Two brokers of three hold every partition's quorum (min.insync.replicas 2): requests are accepted
    // while the third is down (after the few seconds the cluster takes to fence it).
    expect(outage?.acceptedWhileDown).toBeGreaterThan(0);
    expect(result.unavailable.filter((answer) => answer.status !== 503)).toEqual([]);
  });

  it('loses nothing acknowledged: every accepted item has exactly one terminal outcome', () => {
    expectOneTerminalOutcomeEach(result, 2_000);
  });

  it('has the stats service agree with the topics within the convergence timeout', () => {
    expectStatsAgree(result);
  });
});
