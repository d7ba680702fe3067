#!/usr/bin/env node
// `workpipe` entry: `npm run cli -- submit items.csv`, or the `workpipe` bin after `npm run build`.
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (exitCode) => {
    // exitCode, not exit(): let stdout drain before the process ends.
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`workpipe: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
