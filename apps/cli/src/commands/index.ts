import type { CliCommand } from './cli-command';
import { submitCommand } from './submit.command';

/** Every `workpipe` subcommand, in help order; adding one is one line here. */
export const COMMANDS: readonly CliCommand[] = [submitCommand];

export type { CliCommand, CommandInvocation } from './cli-command';
