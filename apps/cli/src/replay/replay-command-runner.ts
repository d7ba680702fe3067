import { ConfigError } from '@workpipe/config';
import { PayloadValidationError, PublishError, SchemaRegistryError } from '@workpipe/kafka';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { BackendUnavailableError } from './errors/backend-unavailable-error';
import { ReplayInterruptedError } from './errors/replay-interrupted-error';
import { ReplayNotFoundError } from './errors/replay-not-found-error';
import { TopicReadError } from './errors/topic-read-error';
import { openReplayClients, type ReplayClients } from './replay-clients';

/**
 * Runs the body of a replay command with connected clients, closes them
 * whatever happens, and turns what went wrong into a message on stderr and an
 * exit code: 3 when Kafka, Redis or the registry failed (re-running is safe),
 * 2 for an unknown replay id. Usage errors go on to `runCli` (exit 2); anything
 * else is a bug and is rethrown.
 */
export async function withReplayClients(
  command: string,
  io: CliIo,
  body: (clients: ReplayClients) => Promise<ExitCode>,
): Promise<ExitCode> {
  let clients: ReplayClients | undefined;
  try {
    clients = await openReplayClients(io);
    return await body(clients);
  } catch (error) {
    const cause = error instanceof ReplayInterruptedError ? (error.cause as Error) : error;
    const problem = backendProblem(cause);
    if (error instanceof ReplayInterruptedError && problem) {
      io.stderr.write(
        `workpipe ${command}: ${problem}\n` +
          `Replay ${error.replayId} stopped after republishing ${error.republished} in this run and is recorded as interrupted; ` +
          `nothing is republished twice: resume it with: workpipe replay --continue ${error.replayId}\n`,
      );
      return EXIT_CODES.stopped;
    }
    if (problem) {
      io.stderr.write(`workpipe ${command}: ${problem}\nRe-running the command is safe.\n`);
      return EXIT_CODES.stopped;
    }
    if (error instanceof ReplayNotFoundError) {
      io.stderr.write(`workpipe ${command}: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    throw error instanceof ReplayInterruptedError ? cause : error;
  } finally {
    await clients?.close();
  }
}

/** The words for a failure of Kafka, Redis or the registry; undefined for anything else. */
export function backendProblem(error: unknown): string | undefined {
  if (error instanceof BackendUnavailableError || error instanceof TopicReadError) return error.message;
  if (error instanceof SchemaRegistryError) return `the schema registry is unavailable: ${error.message}`;
  if (error instanceof PublishError) return `Kafka did not take the replayed items: ${error.message}`;
  if (error instanceof PayloadValidationError) return undefined;
  if (error instanceof ConfigError) return undefined;
  const name = (error as Error | undefined)?.name ?? '';
  if (name.startsWith('KafkaJS')) return `Kafka is unavailable: ${(error as Error).message}`;
  return undefined;
}
