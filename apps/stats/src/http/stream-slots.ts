/** Why a stream was refused: the instance is full, or the caller's key is. */
export type SlotRefusal = { scope: 'service' | 'key'; limit: number };

export type SlotOutcome = { ok: true; release: () => void } | { ok: false; refusal: SlotRefusal };

/**
 * Counts the live-progress streams open on this instance, in all and per caller (API key, or
 * client address while auth is off), so neither one client nor many can hold unbounded
 * connections, timers and Redis reads. Pure bookkeeping: `release` is idempotent.
 */
export class StreamSlots {
  private total = 0;
  private readonly perCaller = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly maxPerCaller: number,
  ) {}

  take(callerId: string): SlotOutcome {
    const mine = this.perCaller.get(callerId) ?? 0;
    if (mine >= this.maxPerCaller) return { ok: false, refusal: { scope: 'key', limit: this.maxPerCaller } };
    if (this.total >= this.max) return { ok: false, refusal: { scope: 'service', limit: this.max } };
    this.total++;
    this.perCaller.set(callerId, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perCaller.get(callerId) ?? 1) - 1;
        if (left === 0) this.perCaller.delete(callerId);
        else this.perCaller.set(callerId, left);
      },
    };
  }

  /** Streams open, in all. */
  get open(): number {
    return this.total;
  }
}
