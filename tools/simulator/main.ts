// Entry point: `tsx tools/simulator/main.ts --seed 42 --profile seed` or `node dist/tools/simulator/main.js`.
import { runSimulatorCli } from './simulator-cli';

runSimulatorCli(process.argv).then(
  (exitCode) => {
    // exitCode, not exit(): let pino and the sockets flush before the process ends.
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`downstream-simulator: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
