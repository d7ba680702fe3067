import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppConfig } from '@workpipe/config';
import { ApiKeyVerifier } from './api-key-verifier';

/** `/docs`, `/docs/<asset>`, `/docs-json`, `/docs-yaml` (Express matches paths case-insensitively, so does this). */
const DOCS_PATH = /^\/docs(?:[-/.]|$)/i;

/**
 * The OpenAPI pages are Express routes of their own (SwaggerModule), outside Nest's router and so
 * outside `ApiKeyGuard`: this middleware, mounted before them, asks for a key with the `read` role
 * unless DOCS_OPEN is set.
 */
export function docsGate(config: AppConfig): RequestHandler {
  const verifier = new ApiKeyVerifier(config.apiKeys);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (config.http.docsOpen || !DOCS_PATH.test(req.path)) {
      next();
      return;
    }
    const decision = verifier.verify(req.headers, 'read', req.socket.remoteAddress);
    if (decision.allowed) {
      next();
      return;
    }
    if (decision.refusal.statusCode === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="workpipe"');
    res.status(decision.refusal.statusCode).json(decision.refusal);
  };
}
