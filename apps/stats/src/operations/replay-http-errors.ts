import { BadRequestException, ConflictException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ReplayConflictError, ReplayNotFoundError, SelectionError, TopicReadError } from '@workpipe/replay';

/**
 * The HTTP answer to a replay error: 404 unknown replay, 409 not now, 400 a
 * selection that cannot be read, 503 Kafka or Redis not answering (retry);
 * anything else goes on unchanged (the service's error filter: 503 for a
 * failed write to Kafka, else a logged 500).
 */
export function replayHttpError(error: unknown): unknown {
  if (error instanceof ReplayNotFoundError) return new NotFoundException({ statusCode: 404, error: 'REPLAY_NOT_FOUND', message: error.message });
  if (error instanceof ReplayConflictError) return new ConflictException({ statusCode: 409, error: 'REPLAY_CONFLICT', message: error.message });
  if (error instanceof SelectionError) return new BadRequestException({ statusCode: 400, error: 'INVALID_SELECTION', message: error.message });
  const name = (error as Error | undefined)?.name ?? '';
  if (error instanceof TopicReadError || name.startsWith('KafkaJS') || name === 'MaxRetriesPerRequestError' || /ECONNREFUSED|Connection is closed/.test(String((error as Error)?.message))) {
    return new ServiceUnavailableException({ statusCode: 503, error: 'UNAVAILABLE', message: `Kafka or Redis did not answer: ${(error as Error).message}; retry` });
  }
  return error;
}
