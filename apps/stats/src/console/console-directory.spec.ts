import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleDirectory } from './console-directory';

describe('consoleDirectory', () => {
  let root: string;
  const built = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  };

  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'console-dir-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds dist/console from the compiled module (dist/apps/stats/src/console)', () => {
    built(join(root, 'dist', 'console'));
    expect(consoleDirectory(join(root, 'dist', 'apps', 'stats', 'src', 'console'))).toBe(join(root, 'dist', 'console'));
  });

  it('finds dist/console from the sources (apps/stats/src/console), as tests and tsx run them', () => {
    built(join(root, 'dist', 'console'));
    expect(consoleDirectory(join(root, 'apps', 'stats', 'src', 'console'))).toBe(join(root, 'dist', 'console'));
  });

  it('is undefined when the console was not built', () => {
    mkdirSync(join(root, 'dist', 'console'), { recursive: true });
    expect(consoleDirectory(join(root, 'apps', 'stats', 'src', 'console'))).toBeUndefined();
  });
});
