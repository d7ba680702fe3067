import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import type { ExitCode } from '../exit-codes';
import type { GlobalOptions } from '../global-options';

/** What a command's run gets: its parsed arguments and options, the global options, and the process hooks. */
export interface CommandInvocation<Options = Record<string, unknown>> {
  /** Positional arguments, in the order the command declares them. */
  args: string[];
  /** The command's own options, as commander parsed them (strings and booleans, unvalidated). */
  options: Options;
  globals: GlobalOptions;
  io: CliIo;
}

/**
 * One `workpipe` subcommand, in a file of its own under `commands/`. `define`
 * declares arguments, options and help on the subcommand; `run` validates
 * (throwing `UsageError` for exit 2) and does the work.
 */
export interface CliCommand {
  /** The word after `workpipe`, e.g. `submit`. */
  name: string;
  define(command: Command): void;
  run(invocation: CommandInvocation): Promise<ExitCode>;
}
