/**
 * When items last succeeded, from wherever the service keeps it (the stats
 * service: its item hashes); retry-failures leaves out items that succeeded
 * after they were abandoned.
 */
export interface ItemSuccesses {
  /** Per item id, in order: the success's time, epoch milliseconds, or undefined. */
  lastSuccessAt(itemIds: readonly string[]): Promise<(number | undefined)[]>;
}
