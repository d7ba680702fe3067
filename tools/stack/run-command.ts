import { spawn } from 'node:child_process';

export interface CommandOutcome {
  /** Exit code, or undefined when the command could not start or was killed. */
  exitCode: number | undefined;
  /** stdout and stderr, interleaved as they came. */
  output: string;
  /** True when the executable does not exist. */
  notFound: boolean;
}

export interface RunCommandOptions {
  cwd?: string;
  /** Kill the command after this many milliseconds. Default: no limit. */
  timeoutMs?: number;
  /** Also copy the output to our stdout/stderr as it comes (for long runs a user should watch). */
  echo?: boolean;
  /** Extra environment on top of ours. Default: none. */
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion, collecting its output; never rejects. */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandOutcome> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    let output = '';
    let settled = false;
    const finish = (outcome: CommandOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(outcome);
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          output += `\n(killed after ${options.timeoutMs} ms)`;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ exitCode: undefined, output: error.message, notFound: error.code === 'ENOENT' }),
    );
    child.on('close', (code) => finish({ exitCode: code ?? undefined, output, notFound: false }));
  });
}
