import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response } from 'express';
import { PayloadValidationError, PublishError, SchemaRegistryError } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { ROOT_LOGGER } from '../tokens/injection-tokens';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  info?: unknown;
}

/** What `@nestjs/terminus` throws when a check fails: every indicator's state, the failing ones under `error`. */
interface HealthReport {
  status: 'error';
  info?: Record<string, unknown>;
  error: Record<string, unknown>;
  details: Record<string, unknown>;
}

function isHealthReport(payload: unknown): payload is HealthReport {
  return typeof payload === 'object' && payload !== null && (payload as { status?: unknown }).status === 'error' && 'details' in payload && 'error' in payload;
}

/** A failed readiness check keeps the state of every indicator, so an operator sees which one is down and why. */
function unhealthyBody(statusCode: number, report: HealthReport): ErrorBody {
  const failing = Object.keys(report.error ?? {});
  return {
    statusCode,
    error: 'UNHEALTHY',
    message: failing.length > 0 ? `not ready: ${failing.join(', ')}` : 'not ready',
    details: report.details,
    info: report.info,
  };
}

/**
 * One JSON error shape for every failure: Nest HTTP exceptions as they are
 * (refused bodies by `JsonBodyInterceptor`, refused keys by `ApiKeyGuard`; what
 * Node's parser refuses never gets here, see `HardenedExpressAdapter`), and the pipeline's
 * typed errors: a failed or slow write to Kafka or the registry is a 503 the
 * client should retry; anything else is a 500 that is logged, never swallowed.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    // A stream (server-sent events, CSV) already answered 200: a cut connection is the only signal left.
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (body.statusCode === 503) response.setHeader('Retry-After', '5');
    if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="workpipe"');
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const payload = exception.getResponse();
      const status = exception.getStatus();
      if (typeof payload === 'object' && payload !== null && 'error' in payload && 'message' in payload) {
        return { statusCode: status, ...(payload as Omit<ErrorBody, 'statusCode'>) };
      }
      if (isHealthReport(payload)) return unhealthyBody(status, payload);
      return { statusCode: status, error: exception.name, message: exception.message };
    }
    if (exception instanceof PublishError && !exception.definitelyNotWritten) {
      this.logger.error({ err: exception }, 'write to Kafka failed with its outcome unknown');
      return {
        statusCode: 503,
        error: 'OUTCOME_UNKNOWN',
        message: `${exception.message}; some items may have been accepted: their ids stay reserved (a retry now is answered IN_FLIGHT), then a retry is accepted again`,
      };
    }
    if (exception instanceof PublishError || (exception instanceof SchemaRegistryError && exception.retryable)) {
      this.logger.warn({ err: exception }, 'write to Kafka failed; request refused');
      return { statusCode: 503, error: 'UNAVAILABLE', message: `${exception.message}; nothing was accepted, retry` };
    }
    if (exception instanceof PayloadValidationError) {
      this.logger.error({ err: exception }, 'contract violation');
      return { statusCode: 500, error: 'CONTRACT_VIOLATION', message: exception.message };
    }
    this.logger.error({ err: exception }, 'unhandled error');
    return { statusCode: 500, error: 'INTERNAL', message: 'internal error; see the service log' };
  }
}
