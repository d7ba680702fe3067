import { type CanActivate, type ExecutionContext, ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AppConfig } from '@workpipe/config';
import type { Logger } from '@workpipe/logging';
import { InjectConfig, InjectRootLogger } from '../tokens/inject.decorators';
import { attachCaller } from './api-caller';
import { ApiKeyVerifier } from './api-key-verifier';
import { PUBLIC_ROUTE, type PublicRouteOptions } from './public.decorator';
import { REQUIRED_ROLE, type RoleRequirement } from './require-role.decorator';

/**
 * Applied to every route of every service (APP_GUARD in RuntimeModule), before any pipe or
 * interceptor, so the body of a refused request is never read. A route is `@Public` or needs a
 * key (`x-api-key: <key>` or `Authorization: Bearer <key>`, 401 without a valid one) with the role
 * it names with `@RequireRole` (403 without it), or any valid key with `@RequireApiKey`; a route that says neither is refused to everyone
 * (403 ROLE_UNDECLARED), so a new endpoint cannot be left open by forgetting. With API_KEYS
 * empty, authentication is off: every route answers (the service then listens on 127.0.0.1 by default).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly verifier: ApiKeyVerifier;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly reflector: Reflector,
    @InjectRootLogger() private readonly logger: Logger,
  ) {
    this.verifier = new ApiKeyVerifier(config.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    // Consumers (the partition-worker transport) are not HTTP and carry no key.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const open = this.reflector.getAllAndOverride<PublicRouteOptions | undefined>(PUBLIC_ROUTE, targets);
    const role = this.reflector.getAllAndOverride<RoleRequirement | undefined>(REQUIRED_ROLE, targets);
    if (open && (!open.when || open.when(this.config))) {
      attachCaller(request, { id: 'anonymous', roles: new Set() });
      return true;
    }
    if (!role) {
      this.logger.error({ route: `${request.method} ${request.route?.path ?? request.path}` }, 'route declares neither @RequireRole nor @Public; refused');
      throw new ForbiddenException({ statusCode: 403, error: 'ROLE_UNDECLARED', message: 'this endpoint declares no role and is closed' });
    }
    const decision = this.verifier.verify(request.headers, role, request.socket.remoteAddress);
    if (!decision.allowed) throw new HttpException(decision.refusal, decision.refusal.statusCode);
    attachCaller(request, decision.caller);
    return true;
  }
}
