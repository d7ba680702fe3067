import type { CliCommand } from './cli-command';
import { failureStatsCommand } from './failure-stats.command';
import { replayCommand } from './replay.command';
import { replayStatusCommand } from './replay-status.command';
import { retryFailuresCommand } from './retry-failures.command';
import { submitCommand } from './submit.command';
import { watchCommand } from './watch.command';

/** Every `workpipe` subcommand, in help order; adding one is one line here. */
export const COMMANDS: readonly CliCommand[] = [submitCommand, replayCommand, retryFailuresCommand, replayStatusCommand, failureStatsCommand, watchCommand];

export type { CliCommand, CommandInvocation } from './cli-command';
