import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '@workpipe/config';
import { InjectConfig } from '../tokens/inject.decorators';

/**
 * Write endpoints require one of API_KEYS, sent as `x-api-key: <key>` or
 * `Authorization: Bearer <key>`. With API_KEYS empty, authentication is off.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(@InjectConfig() config: AppConfig) {
    this.keys = config.apiKeys.map((key) => Buffer.from(key));
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.length === 0) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const given = presentedKey(request);
    if (!given) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'API_KEY_MISSING',
        message: 'this endpoint requires an API key: send it as "x-api-key" or "Authorization: Bearer <key>"',
      });
    }
    const candidate = Buffer.from(given);
    const matches = this.keys.some((key) => key.length === candidate.length && timingSafeEqual(key, candidate));
    if (!matches) {
      throw new UnauthorizedException({ statusCode: 401, error: 'API_KEY_INVALID', message: 'the API key is not valid' });
    }
    return true;
  }
}

function presentedKey(request: Request): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match?.[1];
}
