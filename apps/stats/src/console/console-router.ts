import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { join, sep } from 'node:path';
import { CONSOLE_CSP } from './console-csp';

/** Bundles have content hashes in their names (`assets/index-3f9c2a.js`): cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET and HEAD of the console's files, each with {@link CONSOLE_CSP}: `/` is index.html, the rest
 * as built. Without a build (`directory` undefined) every page is a 404 saying so; any other
 * method, and a file that does not exist, go on to the service's own 404.
 */
export function consoleRouter(directory: string | undefined): Router {
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next('router');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    if (!directory) {
      res.status(404).json({ statusCode: 404, error: 'CONSOLE_NOT_BUILT', message: 'the web console is not built: run "npm run build"' });
      return;
    }
    next();
  });
  if (!directory) return router;
  const assets = join(directory, 'assets') + sep;
  // The page (and every view of it: #/batches/...) is one document, which must not outlive a deploy.
  router.get('/', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(directory, 'index.html'));
  });
  router.use(
    express.static(directory, {
      index: false,
      redirect: false,
      setHeaders: (res, path) => res.setHeader('Cache-Control', path.startsWith(assets) ? IMMUTABLE : 'no-cache'),
    }),
  );
  return router;
}
