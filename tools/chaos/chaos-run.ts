import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { RegistrySerde } from '@workpipe/kafka';
import { waitFor } from '../../test/support/wait-for';
import { cleanupRun } from '../bench/lateness/bench-cleanup';
import { compileServices, removeCompiled } from '../services/compiled-service';
import { mulberry32 } from '../simulator/seeded-random';
import { startSimulator } from '../simulator/start-simulator';
import { brokerOutageAnswers, type BrokerOutageAnswers } from './broker-outage-answers';
import { ChaosPipeline } from './chaos-pipeline';
import {
  CHAOS_PUBLISH_TIMEOUT_MS,
  DEFAULT_CONVERGE_TIMEOUT_MS,
  DEFAULT_DOWN_MS,
  DEFAULT_FAULT_WINDOW,
  DEFAULT_PROCESSORS,
  DEFAULT_REQUEST_SIZE,
  type ChaosRunOptions,
} from './chaos-options';
import { CHAOS_FAILURE_PROFILE, chaosItems, chaosWorkTypes } from './chaos-workload';
import { FaultInjector, type FaultRecord } from './fault-injector';
import { planFaults, type FaultStep } from './fault-plan';
import { checkOutcomes, type OutcomeReport } from './outcome-check';
import { PacedSubmitter, type UnavailableAnswer } from './paced-submitter';
import { PipelineTopicsReader } from './pipeline-topics-reader';
import { compareStats, topicItemNumbers } from './stats-agreement';
import { fetchStatsItems } from './stats-answer';

/** What a chaos run saw; judged by the test's assertions and by `npm run chaos`'s exit code. */
export interface ChaosResult {
  seed: number;
  runId: string;
  topicPrefix: string;
  redisPrefix: string;
  batchId: string;
  plan: FaultStep[];
  /** The faults done and survived (the part was back), in order. */
  faults: FaultRecord[];
  /** Every answer the client had to retry. */
  unavailable: UnavailableAnswer[];
  /** How the ingestor answered while each broker fault lasted. */
  brokerOutages: BrokerOutageAnswers[];
  outcomes: OutcomeReport;
  /** Where the stats service still disagreed with the topics at the end; empty when it agreed. */
  statsMismatches: string[];
  /** Topics the readers had not read to their end at the end; empty when complete. */
  readersBehind: string[];
  /** Where the first duplicated items are on the topics (partition:offset and attempt), to tell a doubled write from a doubled outcome. */
  duplicateTrails: string[];
  converged: boolean;
  /** From the end of the load (last request answered, last fault recovered) to convergence, in milliseconds; null when it never converged. */
  convergeMs: number | null;
  /** From the first request to the end of the load, in milliseconds. */
  loadMs: number;
  /** Why the submission or the fault injection stopped short, if one did. */
  failures: string[];
}

/**
 * One chaos run, the same for the test and `npm run chaos`: compiles the four services, starts the
 * downstream simulator and the pipeline (two processors) under the run's own topic and Redis
 * prefixes, submits the items over HTTP while the seeded fault plan runs, waits until every item
 * has its outcome and the stats agree with the topics, and cleans up (processes, topics, groups,
 * Redis keys, registry subjects) whatever happened.
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosResult> {
  const runId = randomBytes(3).toString('hex');
  const name = options.runName ?? 'chaos';
  const topicPrefix = `${name}.${runId}.`;
  const redisPrefix = `${name}:${runId}:`;
  const batchId = `${name}-${runId}`;
  const logger = options.logger.child({ runId });
  const processors = options.processors ?? DEFAULT_PROCESSORS;
  const random = mulberry32(options.seed);
  const [fromShare, toShare] = options.faultWindow ?? DEFAULT_FAULT_WINDOW;
  const [minDownMs, maxDownMs] = options.downMs ?? DEFAULT_DOWN_MS;
  const plan = planFaults({
    required: options.requiredFaults,
    pool: options.faultPool,
    count: options.faultCount ?? options.requiredFaults.length,
    fromMs: Math.round(options.submitDurationMs * fromShare),
    toMs: Math.round(options.submitDurationMs * toShare),
    minDownMs,
    maxDownMs,
    processors,
    random,
  });
  logger.info({ seed: options.seed, items: options.items, topicPrefix, redisPrefix, plan }, 'chaos run planned');

  const kafka = new Kafka({ clientId: batchId, brokers: options.stack.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const serde = new RegistrySerde({ url: options.stack.schemaRegistryUrl });
  const build = compileServices(options.root, ['ingestor', 'processor', 'retrier', 'stats'], batchId);
  const simulator = await startSimulator({ seed: options.seed, profile: CHAOS_FAILURE_PROFILE });
  const reader = new PipelineTopicsReader(kafka, serde, topicPrefix);
  let pipeline: ChaosPipeline | undefined;
  try {
    pipeline = await ChaosPipeline.start({
      build,
      processors,
      logDir: options.logDir,
      readyTimeoutMs: 120_000,
      env: {
        KAFKA_BROKERS: options.stack.kafkaBrokers,
        SCHEMA_REGISTRY_URL: options.stack.schemaRegistryUrl,
        REDIS_URL: options.stack.redisUrl,
        TOPIC_PREFIX: topicPrefix,
        REDIS_KEY_PREFIX: redisPrefix,
        TOPIC_REPLICATION_FACTOR: String(options.replicationFactor ?? 1),
        LOG_LEVEL: 'info',
        // A killed member's partitions move after 6 s, not 30.
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        // A consumer that stopped fetching is restarted after 30 s without a fetch, not 90.
        CONSUMER_FETCH_STALL_MS: '30000',
        PUBLISH_TIMEOUT_MS: String(CHAOS_PUBLISH_TIMEOUT_MS),
        // 60 s of API_ERROR backoff become 120 ms: an always-failing item is abandoned within seconds.
        TIME_SCALE: '0.002',
        DELAY_TIERS: '250ms,1s,5s,30s,1m,5m,15m,1h',
        // The per-key circuit would abandon whole portfolios of a flaky downstream; not what is tested here.
        KEY_CIRCUIT_FAILURES: '0',
        PROCESSOR_CONCURRENCY: '16',
        WORK_TYPES: chaosWorkTypes(simulator.url),
      },
    });
    await reader.start();
    logger.info({ services: pipeline.names().map((service) => `${service} ${pipeline?.url(service)}`), logDir: options.logDir }, 'pipeline ready');

    const submitter = new PacedSubmitter({
      ingestorUrl: pipeline.url('ingestor'),
      batchId,
      items: chaosItems(runId, options.items),
      requestSize: options.requestSize ?? DEFAULT_REQUEST_SIZE,
      durationMs: options.submitDurationMs,
      random,
    });
    const injector = new FaultInjector({
      pipeline,
      stack: options.brokerStack ?? {},
      brokerIndex: options.brokerIndex ?? 0,
      redisUrl: options.stack.redisUrl,
      redisPrefix,
      logger,
    });
    const startedAt = Date.now();
    const load = await Promise.allSettled([submitter.run(), injector.run(plan, startedAt)]);
    const failures = load.flatMap((settled) => (settled.status === 'rejected' ? [String((settled.reason as Error).message ?? settled.reason)] : []));
    const loadEndedAt = Date.now();
    logger.info({ accepted: submitter.accepted.size, uncertain: submitter.uncertain.size, retried: submitter.unavailable.length, failures }, 'load done; waiting for convergence');

    const statsUrl = pipeline.url('stats');
    let outcomes = checkOutcomes({ accepted: submitter.accepted, uncertain: submitter.uncertain, work: [], succeeded: [], abandoned: [] });
    let statsMismatches: string[] = ['not compared yet'];
    let readersBehind: string[] = ['not checked yet'];
    const converged = await waitFor(
      async () => {
        const ids = reader.itemIds();
        outcomes = checkOutcomes({ accepted: submitter.accepted, uncertain: submitter.uncertain, ...ids });
        if (outcomes.lost.length + outcomes.stuck.length > 0) return false;
        const topics = topicItemNumbers(ids.work, ids.succeeded, ids.abandoned);
        try {
          statsMismatches = [
            ...compareStats('GET /v1/stats', await fetchStatsItems(statsUrl, '/v1/stats?minutes=1'), topics),
            ...compareStats(`GET /v1/batches/${batchId}`, await fetchStatsItems(statsUrl, `/v1/batches/${encodeURIComponent(batchId)}`), topics),
          ];
        } catch (error) {
          statsMismatches = [`the stats service did not answer: ${(error as Error).message}`];
        }
        if (statsMismatches.length > 0) return false;
        readersBehind = await reader.behind();
        return readersBehind.length === 0;
      },
      { timeoutMs: options.convergeTimeoutMs ?? DEFAULT_CONVERGE_TIMEOUT_MS, intervalMs: 1_000, description: 'every item at its outcome, the stats agreeing' },
    ).then(
      () => true,
      () => false,
    );
    const convergedAt = Date.now();
    const result: ChaosResult = {
      seed: options.seed,
      runId,
      topicPrefix,
      redisPrefix,
      batchId,
      plan,
      faults: injector.records,
      unavailable: submitter.unavailable,
      brokerOutages: brokerOutageAnswers(injector.records, submitter.unavailable, submitter.acceptedAt, startedAt, CHAOS_PUBLISH_TIMEOUT_MS + 10_000),
      outcomes,
      statsMismatches,
      readersBehind,
      duplicateTrails: outcomes.duplicated.slice(0, 5).map((id) => reader.trailOf(id)),
      converged,
      convergeMs: converged ? convergedAt - loadEndedAt : null,
      loadMs: loadEndedAt - startedAt,
      failures,
    };
    logger.info({ outcomes: { ...outcomes, stuck: outcomes.stuck.length }, statsMismatches, readersBehind, converged, convergeMs: result.convergeMs }, 'chaos run checked');
    return result;
  } finally {
    await pipeline?.stop();
    await simulator.close();
    await reader.stop();
    if (options.keepData) {
      logger.warn({ topicPrefix, redisPrefix }, 'chaos run data kept for inspection (topics, groups, Redis keys, registry subjects)');
    } else {
      const cleaned = await cleanupRun({ kafka, redisUrl: options.stack.redisUrl, registryUrl: options.stack.schemaRegistryUrl, topicPrefix, redisPrefix }).catch(
        (error: Error) => [`cleanup failed: ${error.message}`],
      );
      logger.info({ cleaned }, 'chaos run cleaned up');
    }
    removeCompiled(build);
  }
}
