#!/usr/bin/env tsx
// `npm run chaos`: the long fault run (tools/chaos/README.md). Exits 1 when an item was lost, doubled or stuck.
import { join, resolve } from 'node:path';
import { createLogger } from '@workpipe/logging';
import { ensureStack } from '../stack';
import { formatChaosReport, chaosRunPassed } from './chaos-report';
import { runChaos } from './chaos-run';
import { chaosSeed } from './chaos-seed';
import { chaosSettings } from './chaos-settings';
import { FAULT_KINDS } from './fault-kind';

const ROOT = resolve(__dirname, '../..');

async function main(): Promise<boolean> {
  const settings = chaosSettings(process.env);
  const seed = chaosSeed(process.env.CHAOS_SEED);
  const logger = createLogger({ service: 'chaos', level: process.env.LOG_LEVEL ?? 'info' });
  logger.info({ seed, ...settings }, `chaos: seed ${seed} (CHAOS_SEED=${seed} repeats this plan)`);
  const stack = await ensureStack({ mode: 'local', log: (line) => logger.info(line) });
  const logDir = join(stack.stackDir, 'logs', `chaos-${seed}-${Date.now()}`);
  const result = await runChaos({
    stack,
    brokerStack: { stackDir: stack.stackDir },
    items: settings.CHAOS_ITEMS,
    requestSize: settings.CHAOS_REQUEST_SIZE,
    submitDurationMs: settings.CHAOS_SUBMIT_SECONDS * 1000,
    processors: settings.CHAOS_PROCESSORS,
    seed,
    requiredFaults: FAULT_KINDS,
    faultPool: FAULT_KINDS,
    faultCount: settings.CHAOS_FAULTS,
    faultWindow: [0.05, 0.8],
    convergeTimeoutMs: settings.CHAOS_CONVERGE_SECONDS * 1000,
    keepData: settings.CHAOS_KEEP_DATA === '1',
    logDir,
    root: ROOT,
    logger,
  });
  process.stdout.write(`\n${formatChaosReport(result)}\nservice logs: ${logDir}\n`);
  return chaosRunPassed(result);
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`chaos failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
