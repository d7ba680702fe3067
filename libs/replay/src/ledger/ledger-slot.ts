/** Offsets per ledger bitmap: 2^20, so a full shard is 128 KiB and any offset fits a shard number. */
export const LEDGER_SHARD_BITS = 20n;

/** Where a dead letter's bit lives in the ledger: the bitmap shard of its partition and the bit in it. */
export interface LedgerSlot {
  /** `offset >> 20`, decimal. */
  shard: string;
  /** `offset & (2^20 - 1)`. */
  bit: number;
}

/**
 * The slot of an offset. Computed here with BigInt: offsets are int64, and
 * Redis' Lua numbers are doubles, exact only below 2^53.
 *
 * Example: offset 1048577 is bit 1 of shard 1.
 */
export function ledgerSlot(offset: string): LedgerSlot {
  const value = BigInt(offset);
  if (value < 0n) throw new RangeError(`an offset is never negative, got ${offset}`);
  return { shard: (value >> LEDGER_SHARD_BITS).toString(), bit: Number(value & ((1n << LEDGER_SHARD_BITS) - 1n)) };
}
