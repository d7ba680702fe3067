import { Controller, Get, HttpException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { loadConfig, type AppConfig } from '@workpipe/config';
import { createLogger } from '@workpipe/logging';
import { callerOf } from './api-caller';
import { ApiKeyGuard } from './api-key.guard';
import { Public } from './public.decorator';
import { RequireApiKey, RequireRole } from './require-role.decorator';

@Controller()
class Routes {
  @Get() @RequireRole('read') read(): void {}
  @Get() @Public() live(): void {}
  @Get() @RequireRole('read') @Public({ when: (config) => config.http.metricsOpen }) metrics(): void {}
  @Get() @RequireApiKey() me(): void {}
  @Get() forgotten(): void {}
}

function contextOf(handler: keyof Routes, headers: Record<string, string> = {}): { context: ExecutionContext; request: Request } {
  const request = { headers, method: 'GET', path: `/${handler}`, socket: { remoteAddress: '127.0.0.1' } } as unknown as Request;
  const context = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

const guardWith = (config: AppConfig): ApiKeyGuard => new ApiKeyGuard(config, new Reflector(), createLogger({ service: 'test', level: 'silent' }));
const statusOf = (run: () => unknown): number | 'allowed' => {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as HttpException).getStatus();
  }
};

describe('ApiKeyGuard', () => {
  const guard = guardWith(loadConfig('stats', { API_KEYS: 'reader-key-1:read' }));

  it('asks for the role a route names, and lets public routes through without a key', () => {
    expect(statusOf(() => guard.canActivate(contextOf('read').context))).toBe(401);
    const { context, request } = contextOf('read', { 'x-api-key': 'reader-key-1' });
    expect(statusOf(() => guard.canActivate(context))).toBe('allowed');
    expect(callerOf(request).id).toBe('key 1');
    expect(statusOf(() => guard.canActivate(contextOf('live').context))).toBe('allowed');
  });

  it('lets any valid key through a route that asks for a key only, and no caller without one', () => {
    const submitter = guardWith(loadConfig('stats', { API_KEYS: 'reader-key-1:read,submit-key-1:submit' }));
    const { context, request } = contextOf('me', { 'x-api-key': 'submit-key-1' });
    expect(statusOf(() => submitter.canActivate(context))).toBe('allowed');
    expect([...callerOf(request).roles]).toEqual(['submit']);
    expect(statusOf(() => submitter.canActivate(contextOf('me').context))).toBe(401);
    expect(statusOf(() => submitter.canActivate(contextOf('me', { 'x-api-key': 'not-a-key-1' }).context))).toBe(401);
  });

  it('refuses a route that declares neither a role nor @Public, whatever the key', () => {
    expect(statusOf(() => guard.canActivate(contextOf('forgotten', { 'x-api-key': 'reader-key-1' }).context))).toBe(403);
  });

  it('opens a conditionally public route only when its setting says so', () => {
    expect(statusOf(() => guard.canActivate(contextOf('metrics').context))).toBe(401);
    const open = guardWith(loadConfig('stats', { API_KEYS: 'reader-key-1:read', METRICS_OPEN: 'true' }));
    expect(statusOf(() => open.canActivate(contextOf('metrics').context))).toBe('allowed');
  });

  it('lets everything through while authentication is off', () => {
    const off = guardWith(loadConfig('stats', {}));
    const { context, request } = contextOf('read');
    expect(statusOf(() => off.canActivate(context))).toBe('allowed');
    expect(callerOf(request).id).toBe('address 127.0.0.1');
  });
});
