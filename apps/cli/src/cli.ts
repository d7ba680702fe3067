import { Command, CommanderError } from 'commander';
import { resolveIo, type CliIo } from './cli-io';
import { COMMANDS } from './commands';
import { InputFileError } from './errors/input-file-error';
import { UsageError } from './errors/usage-error';
import { EXIT_CODES, EXIT_CODES_HELP } from './exit-codes';
import { addGlobalOptions, resolveGlobalOptions } from './global-options';

/**
 * Runs `workpipe` with the given arguments (without `node` and the script, as
 * `process.argv.slice(2)`) and resolves with the exit code; never calls
 * `process.exit`, so tests can run it in-process with their own `io`.
 */
export async function runCli(argv: readonly string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  const io = resolveIo(ioOverrides);
  let exitCode: number = EXIT_CODES.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help) already.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`workpipe: ${error.message}\nSee '${error.hint}'.\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof InputFileError) {
      io.stderr.write(`workpipe: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }
}

/** The commander program with every command of {@link COMMANDS}; output goes to `io`. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = addGlobalOptions(new Command('workpipe'))
    .description('Operator CLI of workpipe: reliable work processing over Kafka.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`workpipe: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`);

  for (const definition of COMMANDS) {
    const command = program.command(definition.name).allowExcessArguments(false);
    definition.define(command);
    command.action(async (...actionArgs: unknown[]) => {
      const self = actionArgs.at(-1) as Command;
      const globals = resolveGlobalOptions(program.opts<{ ingestorUrl?: string; statsUrl?: string; apiKey?: string }>(), io.env);
      setExitCode(
        await definition.run({
          args: self.processedArgs as string[],
          options: self.opts(),
          globals,
          io,
        }),
      );
    });
  }
  return program;
}
