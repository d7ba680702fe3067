/**
 * When a retry is due, in epoch milliseconds on the retrier's clock, the only
 * clock that ever compares with it (the delay tiers hold a retry until then).
 * The delay counts from the failure, so a retrier reading a backlog does not
 * stretch the policy's delay; but a failure time ahead of the retrier's clock
 * (a processor whose clock runs ahead) counts from now, so a skewed clock
 * never postpones a retry past `now + delayMs`.
 *
 * @param failedAtMs the failure's time as its event says (the processor's clock), epoch milliseconds
 * @param nowMs the retrier's clock, epoch milliseconds
 * @param delayMs the policy's delay, milliseconds
 */
export function retryDueAt(failedAtMs: number, nowMs: number, delayMs: number): number {
  const from = Number.isFinite(failedAtMs) ? Math.min(failedAtMs, nowMs) : nowMs;
  return from + delayMs;
}
