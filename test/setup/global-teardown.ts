/** Stops testcontainers started by the global setup; the local stack is left for the next run (`npm run stack:down`). */
export default async function globalTeardown(): Promise<void> {
  const stop = (globalThis as { __stopTestStack?: () => Promise<void> }).__stopTestStack;
  if (stop) await stop();
}
