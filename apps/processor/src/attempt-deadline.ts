/**
 * A signal that aborts after `timeoutMs` with `onTimeout()`'s error, or when
 * `outer` aborts, with one timer and one listener (no `AbortSignal.any` and
 * `AbortSignal.timeout` per call: they cost more than the small calls they
 * bound). `release()` must be called when the work is done.
 */
export function attemptDeadline(
  timeoutMs: number,
  outer: AbortSignal,
  onTimeout: () => Error,
): { signal: AbortSignal; timedOut: () => boolean; release: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(onTimeout());
  }, timeoutMs);
  const onOuterAbort = (): void => controller.abort(outer.reason);
  if (outer.aborted) controller.abort(outer.reason);
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    release: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
