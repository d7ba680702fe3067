/**
 * What this instance knows Redis holds as each partition's last applied
 * offset: the one it resumed after (none when it resumed from the log start),
 * then the last one it applied. The apply script compares it with what Redis
 * holds: a stored offset missing or behind it means Redis lost writes while
 * the consumer ran (see `apply-fact.lua.ts`). Reset on every assignment.
 */
export class KnownStoredOffsets {
  private readonly known = new Map<string, string>();

  /** The partition resumes after `stored` (null: from the log start, nothing stored). */
  resumed(topic: string, partition: number, stored: string | null): void {
    if (stored === null) this.known.delete(`${topic}:${partition}`);
    else this.known.set(`${topic}:${partition}`, stored);
  }

  /** A chunk up to `offset` was applied (or found applied): Redis holds at least `offset` now. */
  applied(topic: string, partition: number, offset: string): void {
    const current = this.known.get(`${topic}:${partition}`);
    if (current === undefined || BigInt(offset) > BigInt(current)) this.known.set(`${topic}:${partition}`, offset);
  }

  /** The offset Redis must hold at least, or null when nothing is known (a rebuild from the log start). */
  of(topic: string, partition: number): string | null {
    return this.known.get(`${topic}:${partition}`) ?? null;
  }
}
