import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ApiRole, AppConfig } from '@workpipe/config';
import { InjectConfig } from '../tokens/inject.decorators';
import { REQUIRED_ROLE } from './require-role.decorator';

interface KnownKey {
  key: Buffer;
  roles: ReadonlySet<ApiRole>;
}

/**
 * Endpoints require one of API_KEYS, sent as `x-api-key: <key>` or
 * `Authorization: Bearer <key>` (401 without a valid one), and the role the
 * endpoint names with `@RequireRole` (403 without it). Keys are compared in
 * constant time. With API_KEYS empty, authentication is off.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KnownKey[];

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.apiKeys.map(({ key, roles }) => ({ key: Buffer.from(key), roles: new Set(roles) }));
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
    const match = this.keys.find((known) => known.key.length === candidate.length && timingSafeEqual(known.key, candidate));
    if (!match) {
      throw new UnauthorizedException({ statusCode: 401, error: 'API_KEY_INVALID', message: 'the API key is not valid' });
    }
    const role = this.reflector.getAllAndOverride<ApiRole | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (role && !match.roles.has(role)) {
      throw new ForbiddenException({ statusCode: 403, error: 'ROLE_MISSING', message: `this endpoint needs a key with the "${role}" role` });
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
