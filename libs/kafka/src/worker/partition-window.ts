/** How a partition's messages may run: one key's messages in order (`key`), or all at once (`none`). */
export type Ordering = 'key' | 'none';

type EntryState = 'waiting' | 'runnable' | 'running' | 'done';

/** One admitted message of a partition and where it stands. */
export interface WindowEntry<M, R> {
  readonly offset: bigint;
  readonly key: string;
  readonly message: M;
  state: EntryState;
  /** What finishing it produced (the records to commit with its offset). */
  result?: R;
}

/**
 * The messages of one partition between the committed offset and the last
 * admitted one, and the rule that decides what may run and what may be
 * committed. Pure: no Kafka, no timers.
 *
 * - Admitted in offset order, at most `capacity` at a time (back-pressure: the
 *   caller pauses the partition while it is full).
 * - With ordering `key`, a message is runnable when every earlier message of
 *   its key in the window is done; other keys run past a slow one.
 * - The commit watermark is the offset of the first message not done (or the
 *   one after the last admitted): committing it never skips unfinished work.
 *   `takeCommittable` hands over the done prefix with its results, in order,
 *   so results are only ever committed together with an offset that covers them.
 */
export class PartitionWindow<M, R> {
  private readonly entries: WindowEntry<M, R>[] = [];
  /** Index of the first entry not yet handed to the commit. */
  private head = 0;
  /** Per key, its entries not done yet, in offset order. */
  private readonly pendingByKey = new Map<string, WindowEntry<M, R>[]>();
  private readonly runnable: WindowEntry<M, R>[] = [];
  private nextOffset: bigint;
  private lastTakenOffset: bigint;

  constructor(
    /** Offset of the first message the window will admit (the committed position). */
    startOffset: bigint,
    readonly capacity: number,
    readonly ordering: Ordering,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
    this.nextOffset = startOffset;
    this.lastTakenOffset = startOffset;
  }

  /** Messages admitted and not yet handed to a commit. */
  get size(): number {
    return this.entries.length - this.head;
  }

  get isFull(): boolean {
    return this.size >= this.capacity;
  }

  /** Offset the next admitted message must have or follow (offsets may skip: compaction, transaction markers). */
  get expectedOffset(): bigint {
    return this.nextOffset;
  }

  /** The offset after what was last handed to a commit (the start offset before any). */
  get committedThrough(): bigint {
    return this.lastTakenOffset;
  }

  /** Messages admitted and not running or done, in offset order. */
  get runnableCount(): number {
    return this.runnable.length;
  }

  /**
   * Admits a message; false when the window is full. A message before the
   * expected offset (fetched again) is ignored and reported as admitted.
   */
  admit(offset: bigint, key: string, message: M): boolean {
    if (offset < this.nextOffset) return true;
    if (this.isFull) return false;
    const entry: WindowEntry<M, R> = { offset, key, message, state: 'waiting' };
    this.entries.push(entry);
    this.nextOffset = offset + 1n;
    if (this.ordering === 'none') {
      this.makeRunnable(entry);
      return true;
    }
    const pending = this.pendingByKey.get(key);
    if (pending) {
      pending.push(entry);
    } else {
      this.pendingByKey.set(key, [entry]);
      this.makeRunnable(entry);
    }
    return true;
  }

  /** The earliest runnable message, marked running; undefined when none. */
  startNext(): WindowEntry<M, R> | undefined {
    const entry = this.runnable.shift();
    if (entry) entry.state = 'running';
    return entry;
  }

  /** A running message finished with `result`; the next message of its key becomes runnable. */
  finish(entry: WindowEntry<M, R>, result: R): void {
    if (entry.state !== 'running') throw new Error(`offset ${entry.offset} finished while ${entry.state}`);
    entry.state = 'done';
    entry.result = result;
    if (this.ordering === 'none') return;
    const pending = this.pendingByKey.get(entry.key);
    if (!pending) return;
    pending.shift();
    const next = pending[0];
    if (next) this.makeRunnable(next);
    else this.pendingByKey.delete(entry.key);
  }

  /**
   * A running message goes back to runnable (to be tried again later), at the
   * front, so its key keeps its order.
   */
  retry(entry: WindowEntry<M, R>): void {
    if (entry.state !== 'running') throw new Error(`offset ${entry.offset} retried while ${entry.state}`);
    entry.state = 'runnable';
    this.runnable.unshift(entry);
    this.runnable.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  }

  /** The offset to commit: the first message not done, or the one after the last admitted. */
  watermark(): bigint {
    for (let index = this.head; index < this.entries.length; index++) {
      const entry = this.entries[index] as WindowEntry<M, R>;
      if (entry.state !== 'done') return entry.offset;
    }
    return this.nextOffset;
  }

  /**
   * Hands over the done prefix (in offset order) and the offset that covers it,
   * or undefined when nothing new is done. The entries leave the window, which
   * makes room; if the commit then fails the caller must rebuild the window.
   */
  takeCommittable(): { results: R[]; commitOffset: bigint; count: number } | undefined {
    const results: R[] = [];
    let index = this.head;
    while (index < this.entries.length && (this.entries[index] as WindowEntry<M, R>).state === 'done') {
      results.push((this.entries[index] as WindowEntry<M, R>).result as R);
      index++;
    }
    if (index === this.head) return undefined;
    const count = index - this.head;
    this.head = index;
    const commitOffset = index < this.entries.length ? (this.entries[index] as WindowEntry<M, R>).offset : this.nextOffset;
    this.lastTakenOffset = commitOffset;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    return { results, commitOffset, count };
  }

  /** The messages still running, e.g. to abort them on revoke. */
  running(): WindowEntry<M, R>[] {
    return this.entries.slice(this.head).filter((entry) => entry.state === 'running');
  }

  private makeRunnable(entry: WindowEntry<M, R>): void {
    entry.state = 'runnable';
    // Entries become runnable in offset order except when an earlier key frees a later message.
    const last = this.runnable[this.runnable.length - 1];
    if (!last || last.offset < entry.offset) {
      this.runnable.push(entry);
      return;
    }
    let index = this.runnable.length;
    while (index > 0 && (this.runnable[index - 1] as WindowEntry<M, R>).offset > entry.offset) index--;
    this.runnable.splice(index, 0, entry);
  }
}
