import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where `npm run build` put the console (`dist/console`, see apps/console/vite.config.mts), seen
 * from this file: compiled, it runs from `dist/apps/stats/src/console`; in tests and `tsx`, from
 * `apps/stats/src/console`. Undefined when the console was not built.
 */
export function consoleDirectory(from: string = __dirname): string | undefined {
  const up = resolve(from, '..', '..', '..', '..');
  return [join(up, 'console'), join(up, 'dist', 'console')].find((dir) => existsSync(join(dir, 'index.html')));
}
