#!/usr/bin/env tsx
// `npm run stack:up | stack:down | stack:status`: a real Kafka, schema registry and Redis for development and tests.
import { Command } from 'commander';
import { ensureStack, getStackStatus, stopStack } from './ensure-stack';
import { parseBrokerCount } from './kafka-topology';
import { DEFAULT_KAFKA_VERSION, parseKafkaVersion } from './kafka-version';
import { StackOptions, parseStackMode, parseStackParts } from './stack-options';
import { formatDownReport, formatStatusReport, formatUpReport } from './stack-output';

interface CliOptions {
  mode?: string;
  quiet?: boolean;
  brokers?: string;
  kafkaVersion?: string;
  only?: string;
}

function stackOptions(cli: CliOptions): StackOptions {
  return {
    mode: parseStackMode(cli.mode),
    kafkaBrokers: cli.brokers !== undefined ? parseBrokerCount(cli.brokers, '--brokers') : undefined,
    kafkaVersion: cli.kafkaVersion !== undefined ? parseKafkaVersion(cli.kafkaVersion, '--kafka-version').text : undefined,
    only: parseStackParts(cli.only, '--only'),
    log: cli.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`),
  };
}

/** Prints a failure (message, which already says what to do) and sets a failing exit code. */
function fail(error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`\nstack: ${name}: ${message}\n`);
  process.exitCode = 1;
}

const program = new Command()
  .name('stack')
  .description(
    `Local Kafka (KRaft; KAFKA_VERSION, default ${DEFAULT_KAFKA_VERSION}), schema registry (Apicurio Registry 3.3.3, Confluent-compatible API) and Redis.\n` +
      'STACK_MODE=auto|local|docker (default auto: docker compose when a Docker engine answers), STACK_DIR=state folder (default .stack),\n' +
      'STACK_KAFKA_BROKERS=1|3, STACK_ONLY=parts, STACK_KAFKA_PORT, STACK_KAFKA_CONTROLLER_PORT, STACK_SCHEMA_REGISTRY_PORT, STACK_REDIS_PORT.',
  )
  .option('--mode <mode>', 'auto, local or docker (overrides STACK_MODE)')
  .option('--kafka-version <version>', `Kafka release, e.g. ${DEFAULT_KAFKA_VERSION} or 3.9.1 (overrides KAFKA_VERSION)`)
  .option('--brokers <count>', '1, or 3 for a KRaft cluster with replication factor 3 and min.insync.replicas 2 (overrides STACK_KAFKA_BROKERS)')
  .option('--only <parts>', 'manage only these parts, comma-separated: kafka, schema-registry, redis (overrides STACK_ONLY)')
  .option('-q, --quiet', 'no progress lines, only the report');

program
  .command('up')
  .description('start what is not running yet and wait until every part is ready (idempotent)')
  .action(async () => {
    const started = Date.now();
    try {
      const result = await ensureStack(stackOptions(program.opts<CliOptions>()));
      process.stdout.write(`${formatUpReport(result, Date.now() - started)}\n`);
    } catch (error) {
      fail(error);
    }
  });

program
  .command('down')
  .description('stop the parts this tool started (SIGTERM, then SIGKILL after a timeout)')
  .action(async () => {
    try {
      process.stdout.write(`${formatDownReport(await stopStack(stackOptions(program.opts<CliOptions>())))}\n`);
    } catch (error) {
      fail(error);
    }
  });

program
  .command('status')
  .description("print each part's state and endpoint; exit code 0 only when all are ready")
  .action(async () => {
    try {
      const result = await getStackStatus(stackOptions(program.opts<CliOptions>()));
      process.stdout.write(`${formatStatusReport(result)}\n`);
      process.exitCode = result.ready ? 0 : 1;
    } catch (error) {
      fail(error);
    }
  });

program.parseAsync(process.argv).catch(fail);
