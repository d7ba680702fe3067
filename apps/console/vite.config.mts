import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** `vite -c apps/console/vite.config.mts` (development): the API of this stats service, proxied. */
const STATS_URL = process.env.STATS_URL ?? 'http://127.0.0.1:3003';

/**
 * The web console, built by `npm run build` into dist/console and served by the stats service at
 * /console (apps/stats/src/console). Everything is bundled: no CDN, no font or script fetched at
 * run time, nothing inline (the pages' Content-Security-Policy allows this origin only).
 */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  publicDir: here('public'),
  resolve: {
    alias: {
      '@workpipe/contracts': here('../../libs/contracts/src/index.ts'),
      '@workpipe/stats-model': here('../../libs/stats-model/src/index.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { proxy: { '/v1': STATS_URL } },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    // Small files stay files: a data: URL would need img-src/font-src data: in the CSP.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
});
