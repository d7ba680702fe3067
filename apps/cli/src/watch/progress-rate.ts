/** Finished items per second over a sliding window, and the time left at that rate. */
export class ProgressRate {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(at: number, done: number): void {
    this.samples.push({ at, done });
    while (this.samples.length > 2 && (this.samples[0] as { at: number }).at < at - this.windowMs) this.samples.shift();
  }

  /** Items per second, or undefined until two samples span some time. */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return undefined;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total` at the current rate, or undefined when unknown. */
  etaSeconds(total: number): number | undefined {
    const rate = this.perSecond();
    const last = this.samples[this.samples.length - 1];
    if (!rate || rate <= 0 || !last) return undefined;
    return Math.max(0, (total - last.done) / rate);
  }
}
