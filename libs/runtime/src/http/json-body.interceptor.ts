import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { raw, type Request, type RequestHandler, type Response } from 'express';
import type { Observable } from 'rxjs';
import type { AppConfig, BodyLimitKind } from '@workpipe/config';
import { InjectConfig } from '../tokens/inject.decorators';
import { BODY_LIMIT } from './body-limit.decorator';
import { RequestRejectedError } from './errors/request-rejected-error';
import { mediaTypeRefusal, parseJsonBody, tooLargeRefusal, type BodyRefusal } from './json-body';

/**
 * Reads and parses JSON request bodies. Runs as an interceptor, that is after `ApiKeyGuard`, so
 * the body of a request without a valid key and role is never read (no body parser runs before
 * routing: `bodyParser: false`). Each route has its size limit (`@BodyLimit`, default
 * HTTP_BODY_LIMIT_BYTES); the content type and a declared length are checked before a byte of the
 * body is read, the nesting depth before it is parsed (see `parseJsonBody`).
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly readers = new Map<number, RequestHandler>();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const kind = this.reflector.get<BodyLimitKind | undefined>(BODY_LIMIT, context.getHandler());
    const route = `${request.method} ${request.route?.path ?? request.path}`;
    if (!hasBody(request)) {
      if (kind !== undefined) throw new RequestRejectedError(400, 'BODY_REQUIRED', `${route} takes a JSON body: send it with "content-type: application/json"`);
      return next.handle();
    }
    const limit = this.config.http.bodyLimits[kind ?? 'default'];
    const refused = mediaTypeRefusal(request.headers['content-type']) ?? (declaredLength(request) > limit ? tooLargeRefusal(limit, route) : undefined);
    if (refused) throw rejection(refused);
    const bytes = await this.read(request, response, limit, route);
    if (bytes.length === 0) {
      if (kind !== undefined) throw new RequestRejectedError(400, 'BODY_REQUIRED', `${route} takes a JSON body; this one is empty`);
      return next.handle();
    }
    const outcome = parseJsonBody(bytes, this.config.http.maxJsonDepth);
    if (!outcome.ok) throw rejection(outcome.refusal);
    request.body = outcome.value;
    return next.handle();
  }

  /** The raw bytes through Express's reader, which inflates gzip/deflate/br and counts the limit on the inflated size. */
  private read(request: Request, response: Response, limit: number, route: string): Promise<Buffer> {
    let reader = this.readers.get(limit);
    if (!reader) {
      reader = raw({ type: () => true, limit });
      this.readers.set(limit, reader);
    }
    return new Promise((resolve, reject) => {
      (reader as RequestHandler)(request, response, (error?: unknown) => {
        if (error) reject(readFailure(error, limit, route));
        else resolve(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
      });
    });
  }
}

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || declaredLength(request) > 0;
}

function declaredLength(request: Request): number {
  const length = Number(request.headers['content-length'] ?? 0);
  return Number.isFinite(length) ? length : 0;
}

function rejection(refusal: BodyRefusal): RequestRejectedError {
  return new RequestRejectedError(refusal.statusCode, refusal.error, refusal.message);
}

/** Express reader errors (http-errors with a `type`) as 4xx answers that say what happened; anything else stays a 500. */
function readFailure(error: unknown, limit: number, route: string): unknown {
  const { type, status } = error as { type?: string; status?: number };
  switch (type) {
    case 'entity.too.large':
      return rejection(tooLargeRefusal(limit, route));
    case 'encoding.unsupported':
      return new RequestRejectedError(415, 'UNSUPPORTED_CONTENT_ENCODING', 'the content-encoding is not supported: send the body as is, or gzip, deflate or br');
    case 'request.aborted':
      return new RequestRejectedError(400, 'REQUEST_ABORTED', 'the client stopped sending the body');
    case 'request.size.invalid':
      return new RequestRejectedError(400, 'BODY_LENGTH_MISMATCH', 'the body is not as long as its content-length says');
    default:
      if (status !== undefined && status >= 400 && status < 500) {
        return new RequestRejectedError(status, 'INVALID_BODY_ENCODING', `the body could not be read: ${(error as Error).message}`);
      }
      return error;
  }
}
